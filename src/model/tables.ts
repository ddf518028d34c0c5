import type { CanonicalType } from '../engine/types.js';

/**
 * The canonical model: what every source is mapped into. Only `customers` is
 * required; each analysis names the tables it needs.
 *
 * Every stored row also carries its provenance (`_source`, `_file`, `_line`),
 * so a re-imported file replaces exactly the rows it brought, and a
 * quarantine or an erase can name them.
 *
 * Timestamps are UTC instants to the whole second (floored on import), the
 * precision every supported store holds, so one set of files gives the same
 * facts on every engine.
 */
export type CanonicalTableName =
  | 'customers'
  | 'transactions'
  | 'interactions'
  | 'survey_responses'
  | 'behaviour_events'
  | 'referrals'
  | 'status_changes';

export interface CanonicalColumn {
  name: string;
  type: CanonicalType;
  required: boolean;
  description: string;
  /** Allowed values for an enumerated column. */
  values?: readonly string[];
}

export const TRANSACTION_KINDS = ['purchase', 'fee', 'refund', 'credit'] as const;
export const INTERACTION_CHANNELS = ['phone', 'email', 'chat', 'walk-in', 'web', 'other'] as const;
export const SURVEY_INSTRUMENTS = ['nps', 'csat', 'ces', 'rating', 'comment'] as const;
export const CUSTOMER_STATUSES = ['active', 'churned', 'reactivated'] as const;

export type TransactionKind = (typeof TRANSACTION_KINDS)[number];
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];
export type SurveyInstrument = (typeof SURVEY_INSTRUMENTS)[number];
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

const col = (
  name: string,
  type: CanonicalType,
  required: boolean,
  description: string,
  values?: readonly string[],
): CanonicalColumn => (values === undefined ? { name, type, required, description } : { name, type, required, description, values });

export const CANONICAL_TABLES: Record<CanonicalTableName, readonly CanonicalColumn[]> = {
  customers: [
    col('customer_id', 'string', true, 'The customer key declared by the mapping.'),
    col('signup_at', 'timestamp', false, 'When the customer was acquired (UTC).'),
    // Declared attributes are added as further columns (see config `attributes`).
  ],
  transactions: [
    col('transaction_id', 'string', false, 'The source system id, when it has one.'),
    col('customer_id', 'string', true, 'The customer, resolved through the identity map.'),
    col('at', 'timestamp', true, 'When it happened (UTC).'),
    col('kind', 'string', true, 'purchase, fee, refund or credit.', TRANSACTION_KINDS),
    col('amount', 'money', true, 'Amount in the workspace currency, positive; the kind says its direction.'),
    col('currency', 'string', true, 'The workspace currency (ISO 4217).'),
    col('original_amount', 'money', true, 'Amount as written in the source.'),
    col('original_currency', 'string', true, 'Currency as written in the source (ISO 4217, upper case).'),
    col('category', 'string', false, 'The revenue line: fee or penalty type, product category, charge kind.'),
    col('product', 'string', false, 'Product or plan.'),
    col('channel', 'string', false, 'Sales channel.'),
    col('cost', 'money', false, 'Cost of goods, in the workspace currency.'),
  ],
  interactions: [
    col('interaction_id', 'string', false, 'Ticket or case id.'),
    col('customer_id', 'string', true, 'The customer.'),
    col('at', 'timestamp', true, 'When it was opened (UTC).'),
    col('channel', 'string', true, 'phone, email, chat, walk-in, web or other.', INTERACTION_CHANNELS),
    col('reason', 'string', false, 'Why the customer got in touch.'),
    col('handling_minutes', 'double', false, 'Handling or resolution time, in minutes.'),
    col('cost', 'money', false, 'Handling cost, in the workspace currency (else derived from cxray.yaml).'),
    col('resolved', 'boolean', false, 'Whether it was resolved.'),
    col('satisfaction', 'double', false, 'Satisfaction with this interaction, scaled to 0..1.'),
  ],
  survey_responses: [
    col('response_id', 'string', false, 'The survey tool response id.'),
    col('customer_id', 'string', true, 'The customer.'),
    col('at', 'timestamp', true, 'When the answer was recorded (UTC).'),
    col('instrument', 'string', true, 'nps, csat, ces, rating or comment.', SURVEY_INSTRUMENTS),
    col('question', 'string', false, 'Question text or id.'),
    col('area', 'string', false, 'Experience area the question measures.'),
    col('score', 'double', false, 'The score on its own scale (NPS 0..10, CSAT 1..5, CES 1..7, ratings as declared).'),
    col('comment', 'string', false, 'Free text (instrument = comment).'),
  ],
  behaviour_events: [
    col('customer_id', 'string', true, 'The customer.'),
    col('at', 'timestamp', true, 'When the behaviour was seen (UTC).'),
    col('behaviour', 'string', true, 'The behaviour or event name.'),
    col('value', 'double', false, 'An optional value carried by the event.'),
  ],
  referrals: [
    col('referrer_id', 'string', true, 'The customer who referred.'),
    col('referred_id', 'string', true, 'The customer who was referred.'),
    col('at', 'timestamp', false, 'When the referral happened (UTC).'),
  ],
  status_changes: [
    col('customer_id', 'string', true, 'The customer.'),
    col('at', 'timestamp', true, 'When the status changed (UTC); an undated churn flag is dated at as_of.'),
    col('status', 'string', true, 'active, churned or reactivated.', CUSTOMER_STATUSES),
    col('reason', 'string', false, 'Why, when the source says.'),
  ],
};

/** Provenance columns carried by every canonical row. */
export const PROVENANCE_COLUMNS: readonly CanonicalColumn[] = [
  col('_source', 'string', true, 'The source name in cxray.yaml.'),
  col('_file', 'string', true, 'The file the row came from (as declared).'),
  col('_line', 'int64', true, 'The physical line of the row in that file (1-based).'),
];

/** Tables whose rows reference a customer through `customer_id` (referrals use two columns). */
export const CUSTOMER_KEY_COLUMNS: Record<CanonicalTableName, readonly string[]> = {
  customers: ['customer_id'],
  transactions: ['customer_id'],
  interactions: ['customer_id'],
  survey_responses: ['customer_id'],
  behaviour_events: ['customer_id'],
  referrals: ['referrer_id', 'referred_id'],
  status_changes: ['customer_id'],
};

export const CANONICAL_TABLE_NAMES = Object.keys(CANONICAL_TABLES) as CanonicalTableName[];
