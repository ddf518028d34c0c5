import type { TransactionKind } from '../../model/tables.js';
import { currencyOfSymbol } from '../shapes/number-shape.js';
import type { ColumnProfile } from '../types.js';
import { customerSpec } from './customer-ref.js';
import { FeedBuilder, amountSpec, commonlyBlank, dateSpec, type ProposeContext, type ProposedFeeds, type Spec } from './draft.js';
import { findColumn, isDate, isNumber, knownValues } from './roles.js';
import { isInformativeKindColumn, kindOfValue, transactionStatusOf } from './value-maps.js';

/** Dates that are not when the money moved. */
const NOT_TRANSACTION_DATE = /updated|cancel|refund|deposit|due|expected|ship|fulfil|period|trial|end|birth|last/;
const UNIT_PRICE = /^unitprice$|^unit price$|^price$|^lineitem price$/;

/**
 * transactions: id, customer, date, amount, currency, kind (from a type
 * column such as Stripe `charge_type (metadata)` or PayPal `Type`, values
 * mapped word by word, default purchase), category (the same type column:
 * the revenue line, fees included), product; rows with a failed or pending
 * status left out; a second feed for refunds from `Amount Refunded`-style
 * columns, or for negative amounts or quantities.
 */
export function proposeTransactions(ctx: ProposeContext): ProposedFeeds {
  const { file, customer } = ctx;
  if (customer === undefined) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no column names the customer' };
  const remarks: string[] = [];
  const taken: ColumnProfile[] = [customer.column];
  const id = findColumn(file, 'transactionId', (c) => c.key !== 'name' || c.values.every((v) => /^#?\w+$/.test(v)), taken);
  const at = findColumn(file, 'transactionAt', (c) => isDate(c) && !NOT_TRANSACTION_DATE.test(c.key));
  const amount = findColumn(file, 'amount', isNumber);
  if (at === undefined || amount === undefined) {
    return { feeds: [], remarks: [], facts: {}, leaveOut: `no ${at === undefined ? 'transaction date' : 'amount'} column was recognised` };
  }
  const quantity = UNIT_PRICE.test(amount.key) ? findColumn(file, 'quantity', isNumber) : undefined;
  const currency = findColumn(file, 'currency', (c) => knownValues(c).every((v) => /^[A-Za-z]{3}$/.test(v)));
  const kindColumn = findColumn(file, 'kind', (c) => c.allValues !== undefined && isInformativeKindColumn(knownValues(c)));
  const status = findColumn(file, 'transactionStatus', (c) => c.allValues !== undefined && c !== kindColumn);
  const refund = findColumn(file, 'refundAmount', isNumber);
  const product = findColumn(file, 'product', (c) => c !== kindColumn && c !== id && c !== customer.column);
  const channel = findColumn(file, 'salesChannel', (c) => c.allValues !== undefined && c.distinct <= 12);

  const base = (feed: FeedBuilder, kind: Spec, kindNote: string, amountSource: Spec, amountNote: string, amountColumn: ColumnProfile = amount): FeedBuilder => {
    if (id !== undefined) feed.column('transaction_id', id.name, id.unique ? undefined : `repeats on multi-line orders`);
    feed.column('customer_id', customerSpec(customer), customer.note);
    const d = dateSpec(at);
    feed.column('at', d.spec, d.note);
    feed.column('kind', kind, kindNote);
    feed.column('amount', amountSource, amountNote);
    if (currency !== undefined) feed.column('currency', currency.name, `currency codes like ${currency.values[0] ?? ''}`);
    else if (currencyOfSymbol(amount.number?.symbol) !== undefined) {
      feed.column('currency', { value: currencyOfSymbol(amount.number?.symbol) }, `no currency column: the ${amount.number?.symbol ?? ''} symbol in the amounts says so`);
    }
    if (kindColumn !== undefined) feed.column('category', kindColumn.name, 'the revenue line (fee types included)');
    if (product !== undefined) feed.column('product', product.name);
    if (channel !== undefined) feed.column('channel', channel.name);
    if (commonlyBlank(customer.column)) feed.where({ column: customer.column.name, nonblank: true }, 'rows without a customer (guests, anonymous sales) are left out');
    if (amountColumn === amount && commonlyBlank(amount)) {
      feed.where({ column: amount.name, nonblank: true }, `rows without ${amount.name} (later lines of a multi-line order) are not separate transactions`);
    }
    if (status !== undefined) addStatusFilter(feed, status);
    return feed;
  };

  const amountBase = amountSpec(amount);
  const amountSource: Spec =
    quantity === undefined
      ? amountBase.spec
      : { ...(typeof amountBase.spec === 'string' ? { column: amountBase.spec } : amountBase.spec), multiply_by: quantity.name };
  const amountNote = quantity === undefined ? amountBase.note : `${amount.name} x ${quantity.name}: the file holds unit prices and quantities`;

  const feeds: FeedBuilder[] = [];
  const facts: ProposedFeeds['facts'] = {};
  const negativeSplit = quantity?.number?.negative === true ? quantity : kindColumn === undefined && amount.number?.negative === true ? amount : undefined;

  if (kindColumn !== undefined) {
    const values = knownValues(kindColumn);
    const map: Record<string, TransactionKind> = {};
    const skipped: string[] = [];
    for (const v of values) {
      const k = kindOfValue(v);
      if (k === undefined) skipped.push(v);
      else map[v] = k;
    }
    const main = base(new FeedBuilder('transactions'), { column: kindColumn.name, map, default: 'purchase' }, `from ${kindColumn.name}; values not listed count as purchases`, amountSource, amountNote);
    if (skipped.length > 0) main.where({ column: kindColumn.name, not_in: skipped }, 'bookkeeping lines, not customer money');
    if (amount.number?.negative === true) {
      main.feed.allow_negative = true;
      main.note(['allow_negative'], 'refunds are written as negative amounts in this export');
    }
    feeds.push(main);
    facts.feeCategories = Object.entries(map).filter(([, k]) => k === 'fee').map(([v]) => v);
  } else if (negativeSplit !== undefined) {
    const purchases = base(new FeedBuilder('transactions'), { value: 'purchase' }, `${negativeSplit.name} above 0`, amountSource, amountNote);
    purchases.where({ column: negativeSplit.name, gt: 0 });
    const returns = base(new FeedBuilder('transactions'), { value: 'refund' }, `${negativeSplit.name} below 0: cancellations and returns`, amountSource, amountNote);
    returns.where({ column: negativeSplit.name, lt: 0 });
    returns.feed.allow_negative = true;
    returns.note(['allow_negative'], 'returns are written with negative numbers; the kind says the direction');
    feeds.push(purchases, returns);
  } else {
    feeds.push(base(new FeedBuilder('transactions'), { value: 'purchase' }, 'no type column: every row is a purchase', amountSource, amountNote));
  }

  if (refund !== undefined) {
    const refunds = base(new FeedBuilder('transactions'), { value: 'refund' }, `from ${refund.name}`, amountSpec(refund).spec, `${refund.name} above 0; dated at the charge (the export has no refund date)`, refund);
    refunds.where({ column: refund.name, gt: 0 });
    feeds.push(refunds);
  } else if (status !== undefined) {
    const refundedValues = knownValues(status).filter((v) => /^(wc-)?refunded$/i.test(v));
    if (refundedValues.length > 0) {
      const refunds = base(new FeedBuilder('transactions'), { value: 'refund' }, `${status.name} = ${refundedValues.join('/')}`, amountSource, `the whole ${amount.name} was refunded`);
      refunds.where({ column: status.name, in: refundedValues });
      feeds.push(refunds);
    }
  }

  const processorFee = file.columns.find((c) => /^(fee|fees|processing fee|application fee)$/.test(c.key));
  if (processorFee !== undefined) remarks.push(`"${processorFee.name}" is the payment processor's fee, not a fee charged to the customer: not mapped.`);
  if (currency !== undefined) facts.currencies = knownValues(currency).map((v) => v.toUpperCase());
  else {
    const code = currencyOfSymbol(amount.number?.symbol);
    if (code !== undefined) facts.currencies = [code];
  }
  facts.dates = at.values;
  return { feeds, remarks, facts, ...(id?.unique === true ? { rowKey: [id.name] } : {}) };
}

/** Keep paid/completed rows; for deals keep only won ones. */
function addStatusFilter(feed: FeedBuilder, status: ColumnProfile): void {
  const values = knownValues(status);
  const won = values.filter((v) => transactionStatusOf(v) === 'won');
  if (won.length > 0) {
    feed.where({ column: status.name, in: won }, 'only won deals are revenue');
    return;
  }
  const excluded = values.filter((v) => transactionStatusOf(v) === 'exclude');
  if (excluded.length > 0) feed.where({ column: status.name, not_in: excluded }, 'no money moved on these');
}
