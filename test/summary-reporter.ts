import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the closing line CI reads: `N passed, N failed` (and skipped when any).
 * Under CXRAY_STRICT=1 a skipped test counts as failed: nothing may skip in CI.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
      if (module.state() === 'failed' && module.children.size === 0) failed += 1;
    }
    const strict = process.env['CXRAY_STRICT'] === '1';
    if (strict && skipped > 0) {
      failed += skipped;
      process.stdout.write(`\nCXRAY_STRICT=1: ${skipped} skipped test(s) counted as failed\n`);
      process.exitCode = 1;
      skipped = 0;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}
