import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { Feed } from '../config/schema.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { UserError } from '../errors.js';
import { FINGERPRINTS } from './recognise/fingerprints.js';
import { initWorkspace } from './init-workspace.js';
import { inspectFile } from './read/inspect-file.js';
import { recognise } from './recognise/recognise.js';

/**
 * Every tool fingerprint of ../shared/EXPORTS.md has a fixture
 * (test/fixtures/exports/<tool>.csv, header + a few rows in the tool's value
 * formats) and an expectation (<tool>.expected.json): the tool recognised,
 * the tables fed, how the file is read, and the key column mappings.
 *
 * Mapping keys: `<table>[#n].<canonical column>[.<spec field>]`, or
 * `<table>.keys|attributes|unpivot|where|allow_negative...`. A string
 * expectation on a column spec compares its `column` (or constant `value`);
 * an object is matched as a subset (for `where`: some entry matches); null
 * means absent.
 */
interface Expected {
  tool: string;
  tables: string[];
  read?: Partial<{ encoding: string; bom: boolean; delimiter: string; headerRows: number; mergeHeaderRows: boolean; dropFooters: boolean }>;
  leftOut?: string;
  mapping?: Record<string, unknown>;
}

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/exports/', import.meta.url));
const FEED_SECTIONS = new Set(['columns', 'keys', 'attributes', 'unpivot', 'where', 'allow_negative']);

function feedOf(feeds: Feed[], selector: string): Feed | undefined {
  const [table, nth] = selector.split('#');
  return feeds.filter((f) => f.table === table)[Number(nth ?? 0)];
}

/** Resolve `transactions#1.kind.map` style keys; unpivot/attribute keys may contain dots, so known keys are matched greedily. */
function resolve(feeds: Feed[], key: string): unknown {
  const [selector = '', ...rest] = key.split('.');
  const feed = feedOf(feeds, selector);
  if (feed === undefined) throw new Error(`no feed ${selector}`);
  const path = FEED_SECTIONS.has(rest[0] ?? '') ? rest : ['columns', ...rest];
  let node: unknown = feed;
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object') return undefined;
    const record = node as Record<string, unknown>;
    const joined = [path.slice(i).join('.'), ...Array.from({ length: path.length - i - 1 }, (_, k) => path.slice(i, path.length - 1 - k).join('.'))].find((k) => k in record);
    const part = joined ?? path[i] ?? '';
    node = record[part];
    i += part.split('.').length - 1;
  }
  return node;
}

function check(actual: unknown, expected: unknown, key: string): void {
  if (expected === null) {
    expect(actual, key).toBeUndefined();
  } else if (typeof expected === 'string' && actual !== null && typeof actual === 'object' && !Array.isArray(actual)) {
    const spec = actual as { column?: unknown; value?: unknown };
    expect(spec.column ?? spec.value, key).toBe(expected);
  } else if (Array.isArray(actual) && expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    expect(actual, key).toContainEqual(expect.objectContaining(expected as Record<string, unknown>));
  } else if (expected !== null && typeof expected === 'object') {
    expect(actual, key).toMatchObject(expected as Record<string, unknown>);
  } else {
    expect(actual, key).toEqual(expected);
  }
}

let engine: DuckDbEngine;
const work: string[] = [];

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB', threads: 1 });
});
afterAll(async () => {
  await engine.close();
  await Promise.all(work.map((d) => rm(d, { recursive: true, force: true })));
});

const names = (await readdir(FIXTURES)).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace('.expected.json', '')).sort();

describe('export fixtures', () => {
  it('cover every tool fingerprint, each with its csv', async () => {
    expect(names.sort()).toEqual(FINGERPRINTS.map((f) => f.tool).sort());
    const csvs = (await readdir(FIXTURES)).filter((f) => f.endsWith('.csv'));
    expect(csvs.sort()).toEqual(names.map((n) => `${n}.csv`).sort());
  });

  it.each(names)('%s is recognised and mapped as expected', async (name) => {
    const expected = JSON.parse(await readFile(join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
    const path = join(FIXTURES, `${name}.csv`);
    const { inspection } = await inspectFile(path, engine);
    const recognition = recognise(inspection);
    expect(recognition?.tool).toBe(expected.tool);
    expect(recognition?.tables).toEqual(expected.tables);
    if (expected.read !== undefined) expect(inspection).toMatchObject(expected.read);

    const dir = await mkdtemp(join(tmpdir(), `cxray-init-${name}-`));
    work.push(dir);
    if (expected.leftOut !== undefined) {
      const error = await initWorkspace({ dir, from: [path] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('init_nothing_recognised');
      expect((error as UserError).message).toContain(expected.leftOut);
      return;
    }
    const result = await initWorkspace({ dir, from: [path] });
    expect(result.sources).toHaveLength(1);
    expect(result.sources[0]?.tool).toBe(expected.tool);
    expect([...(result.sources[0]?.tables ?? [])].sort()).toEqual([...expected.tables].sort());
    // The written file passes the schema (loadConfig validates it).
    const { config } = await loadConfig(dir);
    const source = Object.values(config.sources)[0];
    expect(source?.tool).toBe(expected.tool);
    if (expected.read?.headerRows !== undefined) expect(source?.csv.header_rows).toBe(expected.read.headerRows);
    if (expected.read?.delimiter !== undefined) expect(source?.csv.delimiter).toBe(expected.read.delimiter);
    if (expected.read?.encoding !== undefined) expect(source?.csv.encoding).toBe(expected.read.encoding);
    if (expected.read?.dropFooters !== undefined) expect(source?.csv.drop_footers).toBe(expected.read.dropFooters);
    if (expected.read?.mergeHeaderRows !== undefined) expect(source?.csv.merge_header_rows).toBe(expected.read.mergeHeaderRows);
    for (const [key, value] of Object.entries(expected.mapping ?? {})) check(resolve(source?.feeds ?? [], key), value, key);
  });
});
