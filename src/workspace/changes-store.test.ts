import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { addChange, changesFileSchema, readChanges, removeChange, validateChange } from './changes-store.js';

// The changes file on its own: where it lives, what it holds, how it is
// written, and what recording a change does to stored results.

const COLUMNS = [
  { name: 'region', type: 'string' as const },
  { name: 'age', type: 'int64' as const },
];

function folder(): { file: string; results: string } {
  const root = mkdtempSync(join(tmpdir(), 'cxray-changes-store-'));
  return { file: join(root, 'store', 'changes.json'), results: join(root, 'results') };
}

describe('the changes store', () => {
  it('reads no changes from a missing file, and writes a versioned document whole (no temporary file left)', async () => {
    const { file, results } = folder();
    expect(await readChanges(file)).toEqual([]);
    await addChange(file, results, { name: 'A', date: '2025-01-01', segment: 'age >= 30' }, COLUMNS);
    await addChange(file, results, { name: 'B', date: '2025-02-01' }, null);
    const doc = changesFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(doc.version).toBe(1);
    expect(doc.changes.map((c) => [c.name, c.segment])).toEqual([
      ['A', 'age >= 30'],
      ['B', undefined],
    ]);
    expect(readdirSync(join(file, '..'))).toEqual(['changes.json']);
    expect((await removeChange(file, results, 'a')).name).toBe('A');
    expect((await readChanges(file)).map((c) => c.name)).toEqual(['B']);
  });

  it('validates: a comparison needs a segment and must differ from it; windows are whole months from 1 to 60; names are trimmed', () => {
    const bad = (input: Parameters<typeof validateChange>[0]): string => {
      try {
        validateChange(input, [], COLUMNS);
      } catch (error) {
        if (error instanceof UserError) return `${error.code}: ${error.message}`;
        throw error;
      }
      return 'accepted';
    };
    expect(bad({ name: 'X', date: '2025-01-01', segment: 'region = North', compare: "region = 'North'" })).toBe('bad_change: The comparison group is the segment itself.');
    expect(bad({ name: 'X', date: '2025-01-01', before_months: 0 })).toMatch(/^bad_change: The change's before months is not valid/);
    expect(bad({ name: 'X', date: '2025-01-01', after_months: 61 })).toMatch(/^bad_change: The change's after months is not valid/);
    expect(bad({ name: '   ', date: '2025-01-01' })).toBe('bad_change: A change needs a name.');
    expect(bad({ name: 'X', date: '2025-13-01' })).toBe('bad_change: --date "2025-13-01" is not a calendar date written YYYY-MM-DD.');
    expect(bad({ name: 'X', date: '2025-01-01', segment: 'age >= thirty' })).toMatch(/^segment_bad_value: --segment: /);
    expect(validateChange({ name: '  Spaced  ', date: '2025-01-01', segment: 'region IN (North, South)' }, [], COLUMNS)).toMatchObject({ name: 'Spaced', segment: "region IN ('North', 'South')" });
  });

  it("forgets the changes analysis's stored results (every version, every filter) when the changes change, and nothing else", async () => {
    const { file, results } = folder();
    for (const version of ['v000001', 'v000002']) {
      mkdirSync(join(results, version), { recursive: true });
      for (const name of ['changes.json', 'changes--0123456789ab.json', 'profile.json', 'profile--0123456789ab.json']) writeFileSync(join(results, version, name), '{}');
    }
    await addChange(file, results, { name: 'A', date: '2025-01-01' }, null);
    for (const version of ['v000001', 'v000002']) expect(readdirSync(join(results, version)).sort()).toEqual(['profile--0123456789ab.json', 'profile.json']);
  });
});
