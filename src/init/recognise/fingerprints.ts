import type { CanonicalTableName } from '../../model/tables.js';

/**
 * One piece of evidence that a file came from a tool. Headers are compared
 * by `headerKey` (lower case, spaces collapsed). Source: the "Signals for
 * guessing" table of ../shared/EXPORTS.md.
 */
export type Signal =
  | { kind: 'header'; names: readonly string[] }
  | { kind: 'prefix'; prefix: RegExp; label: string }
  | { kind: 'idPrefix'; names: readonly string[]; prefixes: readonly string[] }
  | { kind: 'value'; names: readonly string[]; pattern: RegExp; label: string }
  | { kind: 'firstHeader'; name: string }
  | { kind: 'questionHeaders' }
  | { kind: 'utf16' }
  | { kind: 'headerRows'; rows: number }
  | { kind: 'footers' };

export interface Fingerprint {
  tool: string;
  label: string;
  tables: CanonicalTableName[];
  sourceName: string;
  signals: readonly Signal[];
  /** Hits needed: 2 unless one header is unmistakable on its own. */
  minHits: number;
  /** Recognised, but cxray cannot use it as a source (and why). */
  leaveOut?: string;
  /** A known trap of this export, written above its source in cxray.yaml. */
  advice?: string;
}

const h = (...names: string[]): Signal => ({ kind: 'header', names });

export const FINGERPRINTS: readonly Fingerprint[] = [
  {
    tool: 'stripe-payments',
    label: 'Stripe payments export',
    tables: ['transactions'],
    sourceName: 'payments',
    signals: [h('amount refunded'), h('created (utc)', 'created date (utc)'), { kind: 'idPrefix', names: ['id'], prefixes: ['ch_', 'py_', 'pi_'] }],
    minHits: 2,
  },
  {
    tool: 'stripe-customers',
    label: 'Stripe customers export',
    tables: ['customers'],
    sourceName: 'stripe_customers',
    signals: [h('delinquent'), h('created (utc)', 'created date (utc)'), { kind: 'idPrefix', names: ['id'], prefixes: ['cus_'] }],
    minHits: 2,
  },
  {
    tool: 'stripe-subscriptions',
    label: 'Stripe subscriptions export',
    tables: ['status_changes'],
    sourceName: 'subscriptions',
    signals: [h('current period end (utc)'), h('canceled at (utc)'), h('ended at (utc)'), h('start (utc)', 'start date (utc)'), { kind: 'idPrefix', names: ['id'], prefixes: ['sub_'] }],
    minHits: 2,
  },
  {
    tool: 'paypal',
    label: 'PayPal activity download',
    tables: ['transactions'],
    sourceName: 'paypal',
    signals: [h('gross'), h('fee'), h('net'), h('timezone'), h('reference txn id')],
    minHits: 3,
    advice: 'CHECK refunds and payments you send: there the customer is in "To Email Address", not "From Email Address". Header names follow the account language.',
  },
  {
    tool: 'square',
    label: 'Square transactions export',
    tables: ['transactions'],
    sourceName: 'square',
    signals: [h('gross sales'), h('net sales'), h('total collected'), h('event type')],
    minHits: 2,
  },
  {
    tool: 'shopify-orders',
    label: 'Shopify orders export',
    tables: ['transactions'],
    sourceName: 'orders',
    signals: [h('financial status'), h('lineitem name'), { kind: 'value', names: ['name'], pattern: /^#\d+$/, label: 'order names like #1001' }],
    minHits: 2,
    advice: 'One row per line item: order totals sit on the first row of each order only, so later rows are filtered out; products beyond the first line are not mapped.',
  },
  {
    tool: 'shopify-customers',
    label: 'Shopify customers export',
    tables: ['customers'],
    sourceName: 'customers',
    signals: [h('accepts email marketing', 'accepts marketing'), h('total spent'), h('total orders')],
    minHits: 2,
  },
  {
    tool: 'woocommerce',
    label: 'WooCommerce orders export',
    tables: ['transactions'],
    sourceName: 'orders',
    signals: [h('order_total', 'order_date'), h('billing_email')],
    minHits: 2,
    advice: 'Headers depend on the export plugin; customer_user/customer_id 0 marks a guest, so customers are matched by billing e-mail.',
  },
  {
    tool: 'hubspot-contacts',
    label: 'HubSpot contacts export',
    tables: ['customers'],
    sourceName: 'contacts',
    signals: [h('record id', 'contact id'), h('lifecycle stage', 'contact owner', 'lead status', 'marketing contact status')],
    minHits: 2,
  },
  {
    tool: 'hubspot-deals',
    label: 'HubSpot deals export',
    tables: ['transactions'],
    sourceName: 'deals',
    signals: [h('record id', 'deal id'), h('deal stage'), h('deal name')],
    minHits: 2,
  },
  {
    tool: 'pipedrive',
    label: 'Pipedrive deals export',
    tables: ['transactions'],
    sourceName: 'deals',
    signals: [
      { kind: 'prefix', prefix: /^deal - /, label: '"Deal - " headers' },
      { kind: 'prefix', prefix: /^person - /, label: '"Person - " headers' },
      { kind: 'prefix', prefix: /^organi[sz]ation - /, label: '"Organization - " headers' },
    ],
    minHits: 1,
  },
  {
    tool: 'salesforce-cases',
    label: 'Salesforce cases report',
    tables: ['interactions'],
    sourceName: 'cases',
    signals: [h('date/time opened'), h('case number'), h('case origin'), { kind: 'footers' }],
    minHits: 2,
  },
  {
    tool: 'zendesk',
    label: 'Zendesk tickets export',
    tables: ['interactions'],
    sourceName: 'tickets',
    signals: [h('requester id'), h('via'), h('summation column'), h('satisfaction score'), h('requester external id')],
    minHits: 2,
  },
  {
    tool: 'freshdesk',
    label: 'Freshdesk tickets export',
    tables: ['interactions'],
    sourceName: 'tickets',
    signals: [h('first response time (in hrs)'), h('agent interactions'), h('survey results'), h('ticket id')],
    minHits: 2,
  },
  {
    tool: 'qualtrics',
    label: 'Qualtrics response export',
    tables: ['survey_responses'],
    sourceName: 'survey',
    signals: [h('responseid'), h('duration (in seconds)'), h('externalreference'), { kind: 'headerRows', rows: 3 }],
    minHits: 2,
  },
  {
    tool: 'surveymonkey',
    label: 'SurveyMonkey response export',
    tables: ['survey_responses'],
    sourceName: 'survey',
    signals: [h('respondent id'), h('collector id')],
    minHits: 2,
  },
  {
    tool: 'typeform',
    label: 'Typeform responses export',
    tables: ['survey_responses'],
    sourceName: 'survey',
    signals: [h('#'), h('submit date (utc)'), h('network id')],
    minHits: 2,
  },
  {
    tool: 'google-forms',
    label: 'Google Forms responses (Sheets CSV)',
    tables: ['survey_responses'],
    sourceName: 'survey',
    signals: [{ kind: 'firstHeader', name: 'timestamp' }, { kind: 'questionHeaders' }],
    minHits: 2,
  },
  {
    tool: 'formbricks',
    label: 'Formbricks responses export',
    tables: ['survey_responses'],
    sourceName: 'survey',
    signals: [h('formbricks id (internal)'), h('response id'), h('survey id')],
    minHits: 1,
  },
  {
    tool: 'google-play',
    label: 'Google Play reviews export',
    tables: ['survey_responses'],
    sourceName: 'app_reviews',
    signals: [h('star rating'), h('review text'), h('package name'), { kind: 'utf16' }],
    minHits: 2,
    leaveOut: 'Play reviews carry no customer identifier, and every survey answer must belong to a customer',
  },
  {
    tool: 'ga4',
    label: 'GA4 BigQuery events export',
    tables: ['behaviour_events'],
    sourceName: 'events',
    signals: [h('event_timestamp'), h('user_pseudo_id'), h('event_params'), h('event_bundle_sequence_id')],
    minHits: 2,
  },
  {
    tool: 'mixpanel',
    label: 'Mixpanel events export',
    tables: ['behaviour_events'],
    sourceName: 'events',
    signals: [h('distinct_id'), h('$insert_id'), h('mp_processing_time_ms')],
    minHits: 2,
  },
  {
    tool: 'amplitude',
    label: 'Amplitude events export',
    tables: ['behaviour_events'],
    sourceName: 'events',
    signals: [h('amplitude_id'), h('event_type'), h('device_id')],
    minHits: 2,
  },
  {
    tool: 'segment',
    label: 'Segment events',
    tables: ['behaviour_events'],
    sourceName: 'events',
    signals: [h('anonymousid', 'anonymous_id'), h('messageid', 'message_id'), h('receivedat', 'received_at')],
    minHits: 2,
  },
  {
    tool: 'telco',
    label: 'IBM Telco customer churn data',
    tables: ['customers', 'status_changes'],
    sourceName: 'customers',
    signals: [h('customerid'), h('tenure'), h('churn'), h('monthlycharges')],
    minHits: 2,
  },
  {
    tool: 'bank-churn',
    label: 'Bank customer churn data (Churn_Modelling)',
    tables: ['customers', 'status_changes'],
    sourceName: 'customers',
    signals: [h('exited'), h('numofproducts'), h('customerid'), h('isactivemember')],
    minHits: 2,
  },
  {
    tool: 'uci-online-retail',
    label: 'UCI Online Retail transactions',
    tables: ['transactions'],
    sourceName: 'transactions',
    signals: [h('invoiceno', 'invoice'), h('stockcode'), h('unitprice', 'price')],
    minHits: 2,
  },
  {
    tool: 'uci-bank-marketing',
    label: 'UCI Bank Marketing campaign data',
    tables: [],
    sourceName: 'campaign',
    signals: [h('pdays'), h('poutcome'), h('campaign'), h('y')],
    minHits: 2,
    leaveOut:
      'rows are campaign contacts without a customer id (the outcome y says who subscribed); score such a list against your ideal profile with `cxray score-prospects`, or add an id column and map it by hand',
  },
];
