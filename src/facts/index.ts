export { buildCustomerFacts, CUSTOMER_FACTS_TABLE } from './build-customer-facts.js';
export { customerFactsColumns } from './columns.js';
export { planCustomerFacts, type CustomerFactsPlan, type StagedPart } from './plan-customer-facts.js';
export type { FactsColumn, FactsOptions, FactsPlanKind, FactsSummary } from './types.js';
