import type { CanonicalTableName } from '../model/tables.js';
import type { Analysis, AnalysisContext } from './types.js';

/** What to export for each canonical table, in the user's words (see ../shared/EXPORTS.md). */
export const EXPORT_HINTS: Record<CanonicalTableName, string> = {
  customers: 'a customer list from your CRM (e.g. HubSpot contacts, Stripe customers, Shopify customers)',
  transactions: 'payments, invoices or orders (e.g. Stripe payments, Shopify orders, PayPal activity)',
  interactions: 'help-desk tickets or cases (e.g. Zendesk, Freshdesk, Salesforce cases)',
  survey_responses: 'survey responses (e.g. Qualtrics, SurveyMonkey, Typeform; NPS, CSAT or ratings)',
  behaviour_events: 'product or web analytics events (e.g. GA4, Mixpanel, Amplitude, Segment)',
  referrals: 'a referral programme export (referrer and referred customer ids)',
  status_changes: 'subscriptions or churn flags (e.g. Stripe subscriptions, a churn column)',
};

/** A table holds data when this import loaded rows into it. */
export function hasRows(ctx: Pick<AnalysisContext, 'tableRows'>, table: CanonicalTableName): boolean {
  return (ctx.tableRows[table] ?? 0) > 0;
}

/** The sentence that says a table is missing and what to export for it. */
export function missingTableSentence(table: CanonicalTableName): string {
  return `This import has no ${table} rows: export ${EXPORT_HINTS[table]}, map it to ${table} in cxray.yaml, and run \`cxray import\`.`;
}

/**
 * Why an analysis cannot run on this import (a table without rows, a
 * customer_facts column absent), or null when it can.
 */
export function unmetNeeds(analysis: Pick<Analysis, 'needs' | 'needsColumns'>, ctx: Pick<AnalysisContext, 'tableRows' | 'facts'>): string | null {
  const tables = analysis.needs.filter((t) => !hasRows(ctx, t));
  if (tables.length > 0) {
    return `Needs ${tables.join(', ')}. ${tables.map(missingTableSentence).join(' ')}`;
  }
  const names = new Set(ctx.facts.columns.map((c) => c.name));
  const columns = analysis.needsColumns.filter((c) => !names.has(c));
  if (columns.length > 0) {
    return `Needs the customer_facts column(s) ${columns.join(', ')}, which this import does not have: run \`cxray import\` again (an import by an earlier cxray lacks newer columns), after declaring in cxray.yaml any of them that come from your data.`;
  }
  return null;
}
