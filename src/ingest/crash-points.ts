/**
 * Named points of an import where a test can kill the process (kill -9
 * semantics: no cleanup runs), to prove the store always opens on the
 * previous or the new version. Set CXRAY_TEST_CRASH_AT to the point's name.
 */
export type CrashPoint = 'after-staging' | 'mid-load' | 'mid-ship' | 'after-ship' | 'mid-swap' | 'after-swap';

export function crashPoint(point: CrashPoint): void {
  if (process.env['CXRAY_TEST_CRASH_AT'] === point) process.kill(process.pid, 'SIGKILL');
}
