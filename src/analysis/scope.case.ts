import type { Engine, SqlParams } from '../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../facts/index.js';
import { practicalThresholds } from './thresholds.js';
import type { AnalysisContext, CustomerScope } from './types.js';
import { configSchema } from '../config/schema.js';

/**
 * A context for testing one analysis step against a hand-made
 * customer_facts table: the scope is the rows matching `where`.
 */
export function testContext(engine: Engine, options: { where?: string; params?: SqlParams; customers?: number; overrides?: Partial<AnalysisContext> } = {}): AnalysisContext {
  const d = engine.dialect;
  const where = options.where ?? '1 = 1';
  const scope: CustomerScope = {
    table: d.quoteIdent(CUSTOMER_FACTS_TABLE),
    where,
    params: options.params ?? {},
    customers: options.customers ?? 0,
    allCustomers: options.customers ?? 0,
    segment: null,
  };
  const config = configSchema.parse({ sources: {} });
  return {
    engine,
    config,
    asOf: '2025-12-31',
    importVersion: 1,
    tableRows: { customers: 1, transactions: 1 },
    facts: { columns: [], attributes: [] },
    scope,
    period: null,
    thresholds: practicalThresholds(config),
    provenance: { cxrayVersion: 'test', configHash: '', inputHashes: {}, seed: 1, filter: {} },
    dependencies: new Map(),
    ...options.overrides,
  };
}
