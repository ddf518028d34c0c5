import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CrashLoopSummary } from './crash-loop.js';
import { tallyRuns } from './crash-loop.js';
import { putSection, renderCrashSection } from './crash-report.js';
import type { CrashRunRecord } from './crash-run.js';

// bench/RELIABILITY.md is shared: the crash loop owns its `## Crashes` section only.

const file = (): string => join(mkdtempSync(join(tmpdir(), 'cxray-reliability-')), 'RELIABILITY.md');

describe('the ## Crashes section of bench/RELIABILITY.md', () => {
  it('creates the file with an intro, then replaces only its own section, leaving the others byte for byte', async () => {
    const path = file();
    await putSection(path, '## Crashes\n\nfirst\n');
    expect(readFileSync(path, 'utf8')).toMatch(/^# Reliability\n\n.+\n\n## Crashes\n\nfirst\n$/);

    const others = '# Reliability\n\nIntro by someone else.\n\n## Hostile files\n\nTheirs, *with* trailing spaces  \n\n## Crashes\n\nold\nlines\n\n## Load\n\nAlso theirs.\n';
    writeFileSync(path, others);
    await putSection(path, '## Crashes\n\nnew\n\n');
    expect(readFileSync(path, 'utf8')).toBe(others.replace('old\nlines\n', 'new\n'));

    writeFileSync(path, '# Reliability\n\n## Load\n\nTheirs.');
    await putSection(path, '## Crashes\n\nappended');
    expect(readFileSync(path, 'utf8')).toBe('# Reliability\n\n## Load\n\nTheirs.\n\n## Crashes\n\nappended\n');
  });

  it('renders each engine\'s figures and names the runs that broke a promise', () => {
    const record = (run: number, outcome: CrashRunRecord['outcome'], problems: string[] = []): CrashRunRecord => ({
      run,
      mutation: { kind: 'new-events', file: 'ga4-events.csv', appended: 5, detail: '5 new events' },
      delayMs: 100 * run,
      fraction: run / 10,
      boundMs: 1000 + run * 100,
      ended: 'killed',
      exitCode: null,
      died: run === 1 ? 'staging' : 'switched',
      previous: run,
      current: run,
      landed: outcome === 'fail' ? 'other' : 'previous',
      afterKill: { lock: 'stale', staging: 1, pointerTemps: 0, quarantineTemps: 0, orphanLedgers: [], complete: [run], remote: null },
      reimport: { exitCode: 0, changed: true, version: run + 1, ms: 2000 },
      afterReimport: { lock: 'none', staging: 0, pointerTemps: 0, quarantineTemps: 0, orphanLedgers: [], complete: [run + 1], remote: null },
      newResidue: outcome === 'residue' ? ['quarantine/contacts.csv.v000003.tmp'] : [],
      problems,
      outcome,
    });
    const records = [record(1, 'ok'), record(2, 'residue'), record(3, 'fail', ['after the kill: current is 9'])];
    const summary: CrashLoopSummary = {
      engine: 'duckdb',
      runs: 3,
      customers: 2000,
      seed: 5,
      durationMs: 2500,
      durationMeasured: true,
      tables: { customers: 2000 },
      startedAt: '2026-11-23T10:00:00.000Z',
      seconds: 20,
      records,
      tally: tallyRuns(records),
      reimportMs: { median: 2000, max: 2000 },
    };
    const text = renderCrashSection([{ command: 'npx tsx scripts/crash-loop.ts --runs 3 --engine duckdb --customers 2000 --seed 5', summary }]);
    expect(text.startsWith('## Crashes\n')).toBe(true);
    expect(text).toContain('| duckdb | 3 | 2,000 | 5 | 1.1-1.3 s | 3 | 0 | 2 | 0 | 1 | 3 | 3 | 3/3 | 1 | 1 | 2.0 s |');
    expect(text).toContain('| duckdb | 0 | 0 | 1 | 0 | 0 | 0 | 2 | 0 |');
    expect(text).toContain('- duckdb run 3 (delay 300 ms of 1300, died switched): after the kill: current is 9');
    expect(text).toContain('left files no later import removes: quarantine/contacts.csv.vN.tmp.');
  });
});
