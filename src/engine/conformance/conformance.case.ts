/**
 * The engine conformance suite: one set of Vitest cases every engine must
 * pass (the hono `common.case.test.ts` pattern). It is written against the
 * Engine interface only: tables through `dialect.createTable`, names through
 * `dialect.quoteIdent`, values both as `$params` and through
 * `dialect.literal`, and it branches on `engine.capabilities` only, never on
 * a name. A capability an engine lacks is not skipped: the case asserts the
 * flag is false and that the documented fallback (or an
 * `UnsupportedCapability` error) happens instead.
 *
 * @example
 * // src/engine/duckdb/engine.test.ts
 * describeEngineConformance('DuckDB in memory', () => DuckDbEngine.open(':memory:'));
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { Engine } from '../types.js';
import { describeCancellationCases } from './cases/cancellation.case.js';
import { describeCapabilityCases } from './cases/capabilities.case.js';
import { describeCatalogCases } from './cases/catalog.case.js';
import { describeDialectCases } from './cases/dialect.case.js';
import { describeHashCases } from './cases/hash.case.js';
import { describeHostileCases } from './cases/hostile.case.js';
import { describeStreamingCases } from './cases/streaming.case.js';
import { describeTypeCases } from './cases/types.case.js';
import type { ConformanceContext } from './harness.js';

export type OpenEngine = () => Promise<Engine>;
export type CloseEngine = (engine: Engine) => Promise<void>;

export function describeEngineConformance(label: string, open: OpenEngine, close: CloseEngine = (engine) => engine.close()): void {
  describe(`engine conformance: ${label}`, () => {
    let shared: Engine | undefined;
    const ctx: ConformanceContext = {
      get engine(): Engine {
        if (shared === undefined) throw new Error('The conformance engine is not open yet');
        return shared;
      },
      open,
      close,
    };
    beforeAll(async () => {
      shared = await open();
    });
    afterAll(async () => {
      if (shared !== undefined) await close(shared);
    });

    describeTypeCases(ctx);
    describeHostileCases(ctx);
    describeCatalogCases(ctx);
    describeDialectCases(ctx);
    describeHashCases(ctx);
    describeCapabilityCases(ctx);
    describeCancellationCases(ctx);
    describeStreamingCases(ctx);
  });
}
