import { describe, expect, it } from 'vitest';
import type { Engine, Row } from '../../types.js';
import { createTable, dropTable, tableName, timed, type ConformanceContext } from '../harness.js';

/** How soon after abort() the call must have rejected. */
const CANCEL_WITHIN_MS = 5_000;
const ABORT_AFTER_MS = 300;

/** 9e10 row pairs: minutes of work on any engine, so only a cancellation ends it in time. */
function longQuery(engine: Engine): string {
  const d = engine.dialect;
  const i = d.quoteIdent('i');
  return `SELECT count(*) AS n FROM ${d.integerSeries(300_000, 'i')} AS a CROSS JOIN ${d.integerSeries(300_000, 'i')} AS b
           WHERE (a.${i} * 7 + b.${i}) % 13 = 5`;
}

async function drain(stream: AsyncIterable<Row[]>): Promise<number> {
  let n = 0;
  for await (const batch of stream) n += batch.length;
  return n;
}

/** Abort after a delay; returns how long after the abort the work settled, and how. */
async function abortLater<T>(work: (signal: AbortSignal) => Promise<T>): Promise<{ afterAbortMs: number; error?: unknown }> {
  const controller = new AbortController();
  let abortedAt = Number.NaN;
  const timer = setTimeout(() => {
    abortedAt = performance.now();
    controller.abort();
  }, ABORT_AFTER_MS);
  const outcome = await timed(work(controller.signal));
  clearTimeout(timer);
  return { afterAbortMs: performance.now() - abortedAt, error: outcome.error };
}

async function expectStillWorks(engine: Engine): Promise<void> {
  expect(await engine.query('SELECT 41 + 1 AS answer')).toEqual([{ answer: 42 }]);
  const d = engine.dialect;
  expect(await drain(engine.stream(`SELECT s.${d.quoteIdent('i')} AS i FROM ${d.integerSeries(5000, 'i')} AS s`))).toBe(5000);
}

export function describeCancellationCases(ctx: ConformanceContext): void {
  describe('cancellation', () => {
    it('without the cancellation capability, passing a signal rejects with unsupported_capability before anything runs', async () => {
      const { engine } = ctx;
      if (engine.capabilities.cancellation) {
        // The flag is true: the cases below hold the engine to it.
        expect(engine.capabilities.cancellation).toBe(true);
        return;
      }
      const signal = new AbortController().signal;
      await expect(engine.query('SELECT 1 AS one', undefined, { signal })).rejects.toMatchObject({ code: 'unsupported_capability' });
    });

    it(`aborting a long query rejects with query_cancelled within ${CANCEL_WITHIN_MS / 1000} s, and the engine still works afterwards`, async () => {
      const { engine } = ctx;
      if (!engine.capabilities.cancellation) return;
      const outcome = await abortLater((signal) => engine.query(longQuery(engine), undefined, { signal }));
      expect(outcome.error).toMatchObject({ code: 'query_cancelled' });
      expect(outcome.afterAbortMs).toBeLessThan(CANCEL_WITHIN_MS);
      await expectStillWorks(engine);
    }, 60_000);

    it('an already-aborted signal rejects with query_cancelled and the statement never runs', async () => {
      const { engine } = ctx;
      if (!engine.capabilities.cancellation) return;
      const d = engine.dialect;
      const table = tableName('aborted');
      await createTable(engine, table, [{ name: 'x', type: 'int32' }]);
      const controller = new AbortController();
      controller.abort();
      const insert = `INSERT INTO ${d.quoteIdent(table)} (${d.quoteIdent('x')}) VALUES (1)`;
      await expect(engine.exec(insert, undefined, { signal: controller.signal })).rejects.toMatchObject({ code: 'query_cancelled' });
      await expect(drain(engine.stream('SELECT 1 AS one', undefined, { signal: controller.signal }))).rejects.toMatchObject({
        code: 'query_cancelled',
      });
      expect(await engine.query(`SELECT count(*) AS n FROM ${d.quoteIdent(table)}`)).toEqual([{ n: 0n }]);
      await dropTable(engine, table);
    });

    it('aborting a stream (while it computes, and between batches) rejects with query_cancelled; the engine still works', async () => {
      const { engine } = ctx;
      if (!engine.capabilities.cancellation) return;
      const computing = await abortLater((signal) => drain(engine.stream(longQuery(engine), undefined, { signal })));
      expect(computing.error).toMatchObject({ code: 'query_cancelled' });
      expect(computing.afterAbortMs).toBeLessThan(CANCEL_WITHIN_MS);

      const d = engine.dialect;
      const controller = new AbortController();
      let seen = 0;
      const rows = engine.stream(`SELECT s.${d.quoteIdent('i')} AS i FROM ${d.integerSeries(1_000_000, 'i')} AS s`, undefined, {
        signal: controller.signal,
        batchSize: 1000,
      });
      const consume = async (): Promise<void> => {
        for await (const batch of rows) {
          seen += batch.length;
          controller.abort();
        }
      };
      await expect(consume()).rejects.toMatchObject({ code: 'query_cancelled' });
      expect(seen).toBe(1000);
      await expectStillWorks(engine);
    }, 60_000);

    it('an abort reaches only its own query: a query started alongside it still answers', async () => {
      const { engine } = ctx;
      if (!engine.capabilities.cancellation) return;
      const before = engine.query('SELECT 7 AS seven');
      const outcome = abortLater((signal) => engine.query(longQuery(engine), undefined, { signal }));
      // Issued while the long query runs (queued behind it on a one-connection engine).
      const alongside = engine.query('SELECT 8 AS eight');
      expect((await outcome).error).toMatchObject({ code: 'query_cancelled' });
      expect(await before).toEqual([{ seven: 7 }]);
      expect(await alongside).toEqual([{ eight: 8 }]);
    }, 60_000);
  });
}
