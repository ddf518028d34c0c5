import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the closing line CI reads: `N passed, N failed` (and skipped when any).
 * A test skipped because its suite's hook failed (a beforeAll that threw)
 * counts as failed, and so does a file that failed to load. Under
 * CXRAY_STRICT=1 any other skipped test counts as failed too: nothing may skip in CI.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      const inFailedSuite = new Set<string>();
      for (const suite of module.children.allSuites()) {
        if (suite.state() === 'failed') for (const test of suite.children.allTests()) inFailedSuite.add(test.id);
      }
      let tests = 0;
      for (const test of module.children.allTests()) {
        tests += 1;
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed' || inFailedSuite.has(test.id)) failed += 1;
        else skipped += 1;
      }
      if (tests === 0 && module.state() === 'failed') failed += 1;
      if (module.errors().length > 0 && tests > 0) failed += module.errors().length;
    }
    const strict = process.env['CXRAY_STRICT'] === '1';
    if (strict && skipped > 0) {
      failed += skipped;
      process.stdout.write(`\nCXRAY_STRICT=1: ${skipped} skipped test(s) counted as failed\n`);
      skipped = 0;
    }
    if (failed > 0) process.exitCode = 1;
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}
