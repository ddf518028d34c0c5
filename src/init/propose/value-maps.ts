import type { InteractionChannel, TransactionKind } from '../../model/tables.js';

/**
 * Reading source values into canonical ones. Each function is a list of
 * word patterns from the value lists in ../shared/EXPORTS.md ("Generic table
 * signals"); a value no pattern knows falls to the stated default.
 */

/** Values that are not customer money movements at all (PayPal bookkeeping lines). */
const NOT_A_SALE = /conversion|withdraw|transfer to|transfer from|general hold|hold release|authori[sz]ation|deposit|payout|bank transfer|balance transfer/i;

/** `undefined` = leave the row out (not a transaction). */
export function kindOfValue(value: string): TransactionKind | undefined {
  const v = value.toLowerCase();
  if (NOT_A_SALE.test(v)) return undefined;
  if (/refund|reversal|reversed|chargeback|return/.test(v)) return 'refund';
  if (/fee|penalt|surcharge|late|overage|fine\b|interest|dunning/.test(v)) return 'fee';
  if (/credit|adjust|gift|voucher|coupon|compensat|goodwill|rebate/.test(v)) return 'credit';
  return 'purchase';
}

/** Whether a kind column's values are worth a map (they name more than purchases). */
export function isInformativeKindColumn(values: readonly string[]): boolean {
  return values.some((v) => kindOfValue(v) !== 'purchase');
}

export type StatusVerdict = 'keep' | 'exclude' | 'won';

/** A transaction or deal status: keep the row, leave it out, or (deals) won. */
export function transactionStatusOf(value: string): StatusVerdict {
  const v = value.toLowerCase().replace(/^wc-/, '');
  if (/^(won|closed won|closedwon)$/.test(v)) return 'won';
  if (/fail|declin|void|cancel|pending|^open$|lost|incomplete|expired|draft|unpaid|uncollectible|abandon|on-hold|^authori[sz]ed$|denied|blocked/.test(v)) return 'exclude';
  return 'keep';
}

export function channelOfValue(value: string): InteractionChannel {
  const v = value.toLowerCase();
  if (/walk|store|in[- ]person|branch|counter|shop|visit/.test(v)) return 'walk-in';
  if (/phone|call|voice|tel|ivr/.test(v)) return 'phone';
  if (/chat|messag|whatsapp|sms|text|social|twitter|facebook|messenger/.test(v)) return 'chat';
  if (/mail/.test(v)) return 'email';
  if (/web|portal|form|site|online|app|api|feedback widget/.test(v)) return 'web';
  return 'other';
}

/** Ticket status -> resolved; `undefined` when the word says nothing. */
export function resolvedOfValue(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (/solved|resolved|closed|done|completed|fixed/.test(v)) return true;
  if (/new|open|pending|hold|waiting|progress|escalat|snoozed|working|assigned/.test(v)) return false;
  return undefined;
}

/**
 * A satisfaction label -> 0..1; `null` for "no rating given" labels
 * (Zendesk `Offered`, `Unoffered`); `undefined` when unknown.
 */
export function satisfactionOfValue(value: string): number | null | undefined {
  const v = value.toLowerCase().trim();
  if (/^(offered|unoffered|not offered|n\/a|none|no rating|-)$/.test(v)) return null;
  if (/not good|not satisfied|unsatisfied|dissatisfied|very bad|bad|poor|terrible|unhappy|negative|awful/.test(v)) {
    return /neither|somewhat/.test(v) ? 0.5 : 0;
  }
  if (/neutral|okay|^ok$|average|neither|mixed/.test(v)) return 0.5;
  if (/good|great|awesome|excellent|satisfied|happy|positive|amazing/.test(v)) return 1;
  return undefined;
}

/** Subscription status -> whether the customer has left. */
export function isChurnedStatus(value: string): boolean {
  return /^(canceled|cancelled|expired|churned|ended|terminated|inactive)$/i.test(value.trim());
}
