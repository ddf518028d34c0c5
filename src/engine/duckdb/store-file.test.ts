// DuckDB-only behaviour that the engine-neutral suite cannot express: the
// store file lock between processes, read-only opening, and the session time
// zone pinned whatever the process TZ.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CxrayError, UserError } from '../../errors.js';
import { DuckDbEngine } from './engine.js';

const require = createRequire(import.meta.url);
const driverUrl = pathToFileURL(require.resolve('@duckdb/node-api')).href;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'cxray-store-file-'));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Resolves with the first line the child prints (or rejects if it exits first). */
async function firstLine(child: ChildProcess): Promise<string> {
  let text = '';
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    child.on('exit', (code) => reject(new Error(`child exited with ${code} before answering: ${errors}`)));
  });
}

describe('DuckDB store file', () => {
  it("opening a file another process holds gives UserError('store_locked'), read-only too; it opens once that process lets go", async () => {
    const store = join(folder, 'held.duckdb');
    const script = join(folder, 'hold.mjs');
    writeFileSync(
      script,
      `import { DuckDBInstance } from ${JSON.stringify(driverUrl)};
       const instance = await DuckDBInstance.create(process.argv[2]);
       const connection = await instance.connect();
       await connection.run('CREATE TABLE held_by_child AS SELECT 42 AS answer');
       process.stdout.write('ready\\n');
       process.stdin.resume();
       process.stdin.on('end', () => { connection.closeSync(); instance.closeSync(); process.exit(0); });`,
    );
    const child = spawn(process.execPath, [script, store], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      expect(await firstLine(child)).toBe('ready');
      const error: unknown = await DuckDbEngine.open(store).then(
        (engine) => engine.close().then(() => undefined),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({ code: 'store_locked' });
      expect((error as UserError).hint).toMatch(/other cxray process/);
      await expect(DuckDbEngine.open(store, { readOnly: true })).rejects.toMatchObject({ code: 'store_locked' });
    } finally {
      child.stdin?.end();
      if (child.exitCode === null) await once(child, 'exit');
    }
    const engine = await DuckDbEngine.open(store);
    expect(await engine.query('SELECT answer FROM held_by_child')).toEqual([{ answer: 42 }]);
    await engine.close();
  });

  it('a read-only store answers queries and refuses writes with query_failed; a missing folder gives UserError store_unavailable', async () => {
    const store = join(folder, 'readonly.duckdb');
    const writer = await DuckDbEngine.open(store);
    await writer.exec('CREATE TABLE t AS SELECT 1 AS x');
    await writer.close();
    const reader = await DuckDbEngine.open(store, { readOnly: true });
    expect(await reader.query('SELECT x FROM t')).toEqual([{ x: 1 }]);
    await expect(reader.exec('INSERT INTO t VALUES (2)')).rejects.toMatchObject({ code: 'query_failed' });
    await reader.close();
    const missing = DuckDbEngine.open(join(folder, 'no', 'such', 'folder', 'store.duckdb'));
    await expect(missing).rejects.toBeInstanceOf(UserError);
    await expect(DuckDbEngine.open(join(folder, 'no', 'such', 'folder', 'store.duckdb'))).rejects.toMatchObject({
      code: 'store_unavailable',
    });
  });

  it('pins the session time zone to UTC in a process whose TZ is America/New_York (TIMESTAMPTZ casts and truncation included)', async () => {
    const script = join(folder, 'tz-probe.mts');
    const engineUrl = pathToFileURL(join(repoRoot, 'src/engine/duckdb/engine.ts')).href;
    writeFileSync(
      script,
      `import { DuckDbEngine } from ${JSON.stringify(engineUrl)};
       const engine = await DuckDbEngine.open(':memory:');
       const instant = new Date('2024-03-10T06:30:00.250Z');
       const [row] = await engine.query(
         "SELECT $t AS bound, " + engine.dialect.literal(instant) + " AS lit, current_setting('TimeZone') AS zone, " +
         "CAST(TIMESTAMP '2024-03-10 06:30:00' AS TIMESTAMPTZ) AS as_tz, date_trunc('day', TIMESTAMPTZ '2024-03-10 03:00:00+00') AS day_tz, " +
         "CAST(TIMESTAMPTZ '2024-03-10 03:00:00+00' AS DATE) AS day",
         { t: instant },
       );
       await engine.close();
       process.stdout.write(JSON.stringify({ offset: new Date('2024-01-15').getTimezoneOffset(), ...row }) + '\\n');`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: repoRoot,
      env: { ...process.env, TZ: 'America/New_York' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await firstLine(child);
    if (child.exitCode === null) await once(child, 'exit');
    expect(JSON.parse(line)).toEqual({
      offset: 300,
      bound: '2024-03-10T06:30:00.250Z',
      lit: '2024-03-10T06:30:00.250Z',
      zone: 'UTC',
      as_tz: '2024-03-10T06:30:00.000Z',
      day_tz: '2024-03-10T00:00:00.000Z',
      day: '2024-03-10',
    });
  }, 60_000);

  it("keeps a leading U+FEFF in strings (the driver's decoder would drop it; see driver-patches.ts)", async () => {
    const engine = await DuckDbEngine.open(':memory:');
    expect(await engine.query("SELECT '\uFEFF' AS bom, '\uFEFF' || 'abc' AS lead, 'a\uFEFF' AS trail")).toEqual([
      { bom: '\uFEFF', lead: '\uFEFFabc', trail: 'a\uFEFF' },
    ]);
    await engine.close();
    await expect(engine.query('SELECT 1')).rejects.toBeInstanceOf(CxrayError);
  });
});
