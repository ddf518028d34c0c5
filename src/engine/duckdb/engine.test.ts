import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEngineConformance } from '../conformance/conformance.case.js';
import type { Engine } from '../types.js';
import { DuckDbEngine } from './engine.js';

describeEngineConformance('DuckDB in memory', () => DuckDbEngine.open(':memory:', { memoryLimit: '1GB' }));

// A store file in its own temp folder per engine; closing removes it.
const folders = new Map<Engine, string>();
describeEngineConformance(
  'DuckDB temp file',
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cxray-conformance-'));
    const engine = await DuckDbEngine.open(join(folder, 'store.duckdb'), { memoryLimit: '1GB' });
    folders.set(engine, folder);
    return engine;
  },
  async (engine) => {
    await engine.close();
    const folder = folders.get(engine);
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    folders.delete(engine);
  },
);

describe('DuckDB catalog: the store itself, not what sits beside it', () => {
  it('describe() and hasTable() see the current database and schema only: not a temporary table, an attached database or an internal view', async () => {
    const engine = await DuckDbEngine.open(':memory:');
    try {
      await engine.exec(`CREATE TEMP TABLE only_temp AS SELECT 1 AS z`);
      await engine.exec(`ATTACH ':memory:' AS other`);
      await engine.exec(`CREATE TABLE other.only_other AS SELECT 1 AS z`);
      await engine.exec(`CREATE TABLE other.shared_name AS SELECT 1 AS z, 2 AS w`);
      await engine.exec(`CREATE TABLE shared_name AS SELECT 'a' AS name`);
      await engine.exec(`CREATE VIEW a_view AS SELECT name, 1 AS one FROM shared_name`);
      for (const name of ['only_temp', 'only_other', 'duckdb_columns', 'tables', 'nowhere']) {
        expect(await engine.hasTable(name), name).toBe(false);
        await expect(engine.describe(name), name).rejects.toMatchObject({ code: 'table_missing' });
      }
      expect(await engine.hasTable('shared_name')).toBe(true);
      expect((await engine.describe('shared_name')).map((c) => [c.name, c.type, c.nullable])).toEqual([['name', 'string', true]]);
      expect(await engine.hasTable('a_view')).toBe(true);
      expect((await engine.describe('a_view')).map((c) => [c.name, c.type])).toEqual([
        ['name', 'string'],
        ['one', 'int32'],
      ]);
    } finally {
      await engine.close();
    }
  });
});
