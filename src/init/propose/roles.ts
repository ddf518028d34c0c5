import type { ColumnProfile, FileInspection } from '../types.js';

/**
 * Header patterns for each role a column can play, best first. Patterns are
 * matched against `headerKey` (lower case, spaces collapsed). Source:
 * "Key-column heuristics" in ../shared/EXPORTS.md, plus the headers of the
 * tools listed there.
 */
export const ROLES = {
  /**
   * Columns that name the customer in another file, best first: your own id
   * synced into a tool beats the tool's id. (`Record ID` is the row's own id
   * in every HubSpot export, so it names a customer only in a customer list.)
   */
  customerId: [
    /^(requester|user|customer|contact|member|account) external id$/,
    /^externalreference$|^external reference$|^external_id$/,
    /^customer ?id$|^customer_id$|^customerid$|^customer number$/,
    /^client ?id$|^account ?id$|^contact ?id$/,
    /^user ?id$|^user_id$|^userid$/,
    /^distinct_id$/,
    /^customer_user$|^custom data 1$|^member ?id$|^subscriber ?id$|^person ?id$|^buyer ?id$/,
    /^requester ?id$|^respondent ?id$/,
    /^anonymous_?id$|^user_pseudo_id$|^device_id$|^amplitude_id$/,
    /^deal - organi[sz]ation$|^organi[sz]ation$|^associated company$|^account name$|^company$/,
  ],
  email: [
    /^(customer|requester|billing|buyer|from|recipient|user|contact|person - )[ _]?e-?mail( address)?$/,
    /^recipientemail$/,
    /^e-?mail( address)?$|^\$email$/,
  ],
  transactionId: [
    /^(id|transaction id|payment id|charge id|order_id|order id|invoice ?no|invoice|invoice id|invoice number|deal - id|record id|receipt id)$/,
    /^name$/,
  ],
  transactionAt: [
    /^created date \(utc\)$|^created \(utc\)$/,
    /^deal - won time$|^won time$/,
    /^close date$|^closed won date$/,
    /^created at$|^created_at$|^created$/,
    /^order_date$|^invoicedate$|^transaction date$|^payment date$/,
    /^date$/,
    /^paid at$/,
    /date|time|created/,
  ],
  amount: [
    /^amount$/,
    /^gross$|^total collected$|^order_total$|^deal - value$|^charge amount$/,
    /^total$/,
    /^unitprice$|^unit price$|^price$|^lineitem price$/,
    /^net sales$|^gross sales$|^revenue$|^value$|^sales$|^net total$|^subtotal$/,
  ],
  quantity: [/^quantity$|^qty$|^lineitem quantity$/],
  refundAmount: [/^amount refunded$|^refunded amount$|^refund amount$|^partial refunds$/],
  currency: [/^currency$|^currency code$|^order_currency$/, /^deal - currency( of value)?$|^original currency$/],
  kind: [/(^|[ _])charge[ _]?type/, /^type$|^event type$|^transaction type$|^payment type$/, /(^|[ _])kind$/],
  transactionStatus: [/^status$|^financial status$|^transaction status$|^deal - status$|^order status$/, /^deal stage$|^stage$/],
  product: [
    /^product \(metadata\)$/,
    /^product$|^product name$|^plan$/,
    /^item title$|^lineitem name$|^product item 1 name$/,
    /^deal - title$|^deal name$/,
    /^description$/,
    /^stockcode$/,
  ],
  salesChannel: [/^channel$|^sales channel$/, /^source$/],
  ticketId: [/^(ticket id|case number|conversation id|ticket number|ticket)$/, /^id$|^case id$/],
  openedAt: [/^created at$|^created time$|^date\/time opened$/, /^created$|^opened$|^created date$|^date created$|^creation date$/, /created|opened|date/],
  channel: [/^via$/, /^channel$|^case origin$|^origin$|^contact channel$/, /^source$|^medium$/],
  reason: [/^ticket type$|^case reason$|^reason$|^issue type$/, /^type$|^category$|^topic$/],
  handlingMinutes: [/^handling time( in minutes)?$|^handle time$|^time tracked in minutes$/, /^full resolution time in minutes$|^resolution time in minutes$/],
  ticketStatus: [/^status$|^ticket status$|^case status$|^state$/],
  satisfaction: [/^satisfaction score$|^satisfaction$|^satisfaction rating$|^csat$/, /^survey results$|^experience score$|^rating$/],
  responseId: [/^responseid$|^response id$|^respondent id$|^response_id$|^submission id$/, /^#$|^token$/],
  responseAt: [/^recordeddate$|^recorded date$/, /^submit date \(utc\)$|^submitted at$|^completed at$/, /^enddate$|^end date$/, /^timestamp$/, /^date$/],
  eventName: [/^event_name$|^event name$/, /^event$|^event_type$/, /^action$/],
  eventAt: [/^event_timestamp$/, /^time$|^timestamp$|^event_time$/, /^original_?timestamp$|^client_event_time$/, /^received_?at$|^sent_?at$/],
  eventValue: [/^event_value_in_usd$|^value$|^revenue$/],
  subscriptionStart: [/^start \(utc\)$|^start date \(utc\)$|^started_at$|^activated_at$|^start_date$|^start date$|^start$/, /^created \(utc\)$|^created_at$|^created$/],
  subscriptionEnd: [/^canceled at \(utc\)$|^cancelled_at$|^canceled_at$|^cancellation date$|^churn date$|^churned at$/, /^ended at \(utc\)$|^ended_at$|^end date$|^expires_at$/],
  cancellationReason: [/^cancellation reason$|^cancel_reason$|^churn reason$|^cancellation_reason$/],
  subscriptionStatus: [/^status$|^state$|^subscription status$/],
  signupAt: [
    /^create date$|^created \(utc\)$|^created date \(utc\)$|^created at$|^created$|^created date$/,
    /^signup date$|^sign up date$|^signed up$|^joined$|^registration date$|^customer since$|^first seen$|^date joined$/,
    /^became a customer date$/,
  ],
  tenure: [/^tenure$|^tenure_?months$|^months as customer$|^tenure \(months\)$/],
  churnFlag: [/^churn$|^churned$|^exited$|^attrition$|^attrition_flag$|^is_churned$|^churn_flag$/],
  referrer: [/^referrer(_| )?(id|email|customer)?$|^referring_?(customer|id)$|^invited_?by$|^referred by$/],
  referred: [/^referred(_| )?(id|customer|email)$|^referee(_| )?id$|^invitee(_| )?id$|^new_customer_id$/],
  referralAt: [/^referred_?at$|^referral_?date$/, /^date$|^created_?at$|^invited_?at$/],
} as const satisfies Record<string, readonly RegExp[]>;

export type Role = keyof typeof ROLES;

/** The first column (by pattern priority, then file order) playing `role` and passing `accept`. */
export function findColumn(file: FileInspection, role: Role, accept: (c: ColumnProfile) => boolean = () => true, exclude: readonly ColumnProfile[] = []): ColumnProfile | undefined {
  for (const pattern of ROLES[role]) {
    const hit = file.columns.find((c) => pattern.test(c.key) && accept(c) && !exclude.includes(c));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Every column playing `role`, in pattern priority. */
export function findColumns(file: FileInspection, role: Role, accept: (c: ColumnProfile) => boolean = () => true): ColumnProfile[] {
  const out: ColumnProfile[] = [];
  for (const pattern of ROLES[role]) for (const c of file.columns) if (pattern.test(c.key) && accept(c) && !out.includes(c)) out.push(c);
  return out;
}

/** Rank of a column among the patterns of a role (lower is better), or Infinity. */
export function roleRank(column: ColumnProfile, role: Role): number {
  const i = ROLES[role].findIndex((p) => p.test(column.key));
  return i < 0 ? Number.POSITIVE_INFINITY : i;
}

/** Every distinct value known for a column: the whole file when counted, else the sample. */
export function knownValues(column: ColumnProfile): string[] {
  return column.allValues !== undefined ? column.allValues.map((v) => v.value) : [...new Set(column.values)];
}

export const isDate = (c: ColumnProfile): boolean => c.date !== undefined;
export const isNumber = (c: ColumnProfile): boolean => c.number !== undefined;
