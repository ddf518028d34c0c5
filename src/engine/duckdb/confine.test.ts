import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbEngine } from './engine.js';

describe('DuckDbEngine.open({ confineTo }): the engine touches no file but its own and those allowed', () => {
  const root = mkdtempSync(join(tmpdir(), 'cxray-confine-'));
  const store = join(root, 'store');
  const storeTwin = join(root, 'store2');
  const outside = join(root, 'outside');
  for (const dir of [store, storeTwin, outside]) mkdirSync(dir, { recursive: true });
  const source = join(root, 'source.csv');
  writeFileSync(source, 'a\nsource-row\n');
  writeFileSync(join(outside, 'secret.csv'), 'a\nSECRET-CANARY\n');
  writeFileSync(join(storeTwin, 'secret.csv'), 'a\nTWIN-CANARY\n');
  writeFileSync(join(store, 'inside.csv'), 'a\ninside-row\n');
  const open: DuckDbEngine[] = [];
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
  });
  const confined = async (): Promise<DuckDbEngine> => {
    const engine = await DuckDbEngine.open(join(store, 'v1.duckdb'), { confineTo: { directories: [store], files: [source] } });
    open.push(engine);
    return engine;
  };
  const q = (path: string): string => `'${path.replace(/'/g, "''")}'`;

  it('reads an allowed folder and an allowed file', async () => {
    const engine = await confined();
    expect(await engine.query(`SELECT a FROM read_csv(${q(join(store, 'inside.csv'))})`)).toEqual([{ a: 'inside-row' }]);
    expect(await engine.query(`SELECT a FROM read_csv(${q(source)})`)).toEqual([{ a: 'source-row' }]);
  });

  it.each([
    ['read_csv outside', (e: DuckDbEngine) => e.query(`SELECT * FROM read_csv(${q(join(outside, 'secret.csv'))})`)],
    ['a folder sharing the prefix', (e: DuckDbEngine) => e.query(`SELECT * FROM read_csv(${q(join(storeTwin, 'secret.csv'))})`)],
    ['../ out of the allowed folder', (e: DuckDbEngine) => e.query(`SELECT * FROM read_csv(${q(`${store}/../outside/secret.csv`)})`)],
    ['read_text of a system file', (e: DuckDbEngine) => e.query(`SELECT * FROM read_text('/etc/passwd')`)],
    ['glob', (e: DuckDbEngine) => e.query(`SELECT * FROM glob(${q(`${outside}/*`)})`)],
    ['COPY TO', (e: DuckDbEngine) => e.exec(`COPY (SELECT 1 AS x) TO ${q(join(outside, 'leak.csv'))}`)],
    ['ATTACH', (e: DuckDbEngine) => e.exec(`ATTACH ${q(join(outside, 'evil.duckdb'))} AS evil`)],
  ])('refuses %s', async (_what, attempt) => {
    const engine = await confined();
    await expect(attempt(engine)).rejects.toThrow(/Permission Error|disabled by configuration/);
  });

  it('cannot be widened again: the configuration is locked', async () => {
    const engine = await confined();
    await expect(engine.exec('SET enable_external_access = true')).rejects.toThrow(/locked/);
    await expect(engine.exec(`SET allowed_directories = [${q(outside)}]`)).rejects.toThrow(/locked|Cannot change/);
    await expect(engine.query(`SELECT * FROM read_csv(${q(join(outside, 'secret.csv'))})`)).rejects.toThrow(/Permission Error|disabled by configuration/);
  });

  it('an engine opened without it reads anywhere (the wall is the option, not the platform)', async () => {
    const engine = await DuckDbEngine.open(':memory:');
    open.push(engine);
    expect(await engine.query(`SELECT a FROM read_csv(${q(join(outside, 'secret.csv'))})`)).toEqual([{ a: 'SECRET-CANARY' }]);
  });
});
