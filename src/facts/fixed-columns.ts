import type { CanonicalType } from '../engine/types.js';
import { INTERACTION_CHANNELS, type CanonicalTableName, type InteractionChannel } from '../model/tables.js';
import { snakeCase } from './column-names.js';
import type { FactsColumn } from './types.js';

/** Stands for the workspace currency in a unit until the catalogue is built. */
export const MONEY_UNIT = '$currency';

const c = (
  name: string,
  type: CanonicalType,
  unit: string | null,
  nullable: boolean,
  table: CanonicalTableName,
  description: string,
): FactsColumn => ({ name, type, unit, nullable, table, description });

export const channelSuffix = (channel: InteractionChannel): string => snakeCase(channel);

export const CUSTOMER_KEY_COLUMNS: readonly FactsColumn[] = [
  c('customer_id', 'string', null, false, 'customers', 'The customer key.'),
];

export const CUSTOMER_COLUMNS: readonly FactsColumn[] = [
  c('signup_at', 'timestamp', null, true, 'customers', 'When the customer was acquired (UTC).'),
  c('tenure_days', 'int64', 'days', true, 'customers', 'Whole days from the signup day to as_of; NULL without a signup date; negative when signup is after as_of.'),
  c(
    'exposure_days',
    'double',
    'days',
    true,
    'customers',
    'Days observed: from signup (else the first purchase) to churn, else to the end of as_of; at least 1; NULL with neither date. Money per customer-month divides by it.',
  ),
  c('cohort_month', 'date', null, true, 'customers', 'First day of the signup month.'),
  c('cohort_quarter', 'date', null, true, 'customers', 'First day of the signup quarter, fiscal quarters starting at fiscal_year_start_month.'),
];

export const MONEY_COLUMNS: readonly FactsColumn[] = [
  c('revenue', 'money', MONEY_UNIT, false, 'transactions', 'Sum of purchase amounts dated by as_of.'),
  c('fees', 'money', MONEY_UNIT, false, 'transactions', 'Sum of fee amounts (every category, declared or not) dated by as_of.'),
  c('refunds', 'money', MONEY_UNIT, false, 'transactions', 'Sum of refund amounts dated by as_of.'),
  c('credits', 'money', MONEY_UNIT, false, 'transactions', 'Sum of credit amounts dated by as_of.'),
  c('cost_of_goods', 'money', MONEY_UNIT, false, 'transactions', 'Sum of transaction cost (any kind) dated by as_of.'),
  c('net_revenue', 'money', MONEY_UNIT, false, 'transactions', 'revenue + fees - refunds - credits - cost_of_goods.'),
];

export const PURCHASE_COLUMNS: readonly FactsColumn[] = [
  c('transaction_count', 'int64', 'count', false, 'transactions', 'Transactions of any kind dated by as_of.'),
  c('purchase_count', 'int64', 'count', false, 'transactions', 'Purchase transactions dated by as_of.'),
  c('purchase_days', 'int64', 'days', false, 'transactions', 'Distinct calendar days (UTC) with a purchase.'),
  c('first_purchase_at', 'timestamp', null, true, 'transactions', 'First purchase (UTC); NULL without a purchase.'),
  c('last_purchase_at', 'timestamp', null, true, 'transactions', 'Last purchase by as_of (UTC); NULL without a purchase.'),
  c('frequency', 'int64', 'days', true, 'transactions', 'Repeat purchase days: purchase_days - 1 (Fader-Hardie x); NULL without a purchase.'),
  c('recency_days', 'int64', 'days', true, 'transactions', 'Days from the first to the last purchase day (Fader-Hardie t_x); NULL without a purchase.'),
  c('age_days', 'int64', 'days', true, 'transactions', 'Days from the first purchase day to as_of (Fader-Hardie T); NULL without a purchase.'),
];

export const INTERACTION_COUNT_COLUMNS: readonly FactsColumn[] = [
  c('interaction_count', 'int64', 'count', false, 'interactions', 'Interactions opened by as_of.'),
  ...INTERACTION_CHANNELS.map((ch) =>
    c(`interactions_${channelSuffix(ch)}`, 'int64', 'count', false, 'interactions', `Interactions on the ${ch} channel.`),
  ),
  c('handling_minutes', 'double', 'minutes', false, 'interactions', 'Sum of handling minutes (interactions without minutes add nothing).'),
];

export const COST_COLUMNS: readonly FactsColumn[] = [
  c(
    'cost_to_serve',
    'money',
    MONEY_UNIT,
    false,
    'interactions',
    'Sum over interactions of: its own cost, else handling_minutes x handling_cost_per_minute (channel, else default), else handling_cost (channel, else default), else 0.',
  ),
  ...INTERACTION_CHANNELS.map((ch) =>
    c(`cost_to_serve_${channelSuffix(ch)}`, 'money', MONEY_UNIT, false, 'interactions', `cost_to_serve of ${ch} interactions.`),
  ),
  c('unresolved_count', 'int64', 'count', false, 'interactions', 'Interactions marked not resolved; an unknown resolution is not counted.'),
];

export const VALUE_COLUMNS: readonly FactsColumn[] = [
  c('net_value', 'money', MONEY_UNIT, false, 'transactions', 'net_revenue - cost_to_serve.'),
];

export const SURVEY_COLUMNS: readonly FactsColumn[] = [
  c('survey_responses', 'int64', 'count', false, 'survey_responses', 'Distinct response ids answered by as_of; each answer row without an id counts as one.'),
  c('latest_nps', 'double', 'score 0-10', true, 'survey_responses', 'Latest NPS score by as_of (the highest when several share the latest instant).'),
  c('mean_nps', 'double', 'score 0-10', true, 'survey_responses', 'Mean of the NPS scores given by as_of.'),
  c('nps_class', 'string', null, true, 'survey_responses', "From latest_nps: 'promoter' (>= 9), 'passive' (7 to 8), 'detractor' (<= 6); NULL without an NPS answer."),
  c('first_nps_at', 'timestamp', null, true, 'survey_responses', 'When the first NPS score was given (UTC).'),
  c('latest_csat', 'double', 'score', true, 'survey_responses', 'Latest CSAT score by as_of, on its own scale.'),
  c('mean_csat', 'double', 'score', true, 'survey_responses', 'Mean CSAT score by as_of.'),
  c('latest_ces', 'double', 'score', true, 'survey_responses', 'Latest customer effort score by as_of, on its own scale.'),
  c('mean_rating', 'double', 'score', true, 'survey_responses', 'Mean of the rating answers (instrument = rating) by as_of.'),
  c('comment_count', 'int64', 'count', false, 'survey_responses', 'Non-blank free-text comments by as_of.'),
];

export const BEHAVIOUR_COUNT_COLUMNS: readonly FactsColumn[] = [
  c('behaviour_count', 'int64', 'count', false, 'behaviour_events', 'How many of the behaviours declared in cxray.yaml the customer has adopted.'),
];

export const REFERRAL_COLUMNS: readonly FactsColumn[] = [
  c('referrals_made', 'int64', 'count', false, 'referrals', 'Distinct other customers this customer referred by as_of (undated referrals count).'),
  c('referred_by', 'string', null, true, 'referrals', 'The customer who referred this one (the smallest id when several did); NULL when none.'),
  c('is_referred', 'boolean', null, false, 'referrals', 'Whether another customer referred this one.'),
];

export const STATUS_COLUMNS: readonly FactsColumn[] = [
  c('churned', 'boolean', null, false, 'status_changes', 'Whether the latest status change by as_of is a churn (a churn and a return at the same instant count as active).'),
  c('churned_at', 'timestamp', null, true, 'status_changes', 'When the customer churned, if churned (UTC).'),
  c('status', 'string', null, false, 'status_changes', "'churned' or 'active'."),
  c(
    'reactivations',
    'int64',
    'count',
    false,
    'status_changes',
    "Status changes to 'reactivated', plus changes to 'active' after the first churn, by as_of.",
  ),
];

/** Every fixed name, claimed before fee, behaviour and attribute names. */
export const FIXED_COLUMN_NAMES: readonly string[] = [
  CUSTOMER_KEY_COLUMNS,
  CUSTOMER_COLUMNS,
  MONEY_COLUMNS,
  PURCHASE_COLUMNS,
  INTERACTION_COUNT_COLUMNS,
  COST_COLUMNS,
  VALUE_COLUMNS,
  SURVEY_COLUMNS,
  BEHAVIOUR_COUNT_COLUMNS,
  REFERRAL_COLUMNS,
  STATUS_COLUMNS,
].flatMap((group) => group.map((col) => col.name));
