import { customerSpec } from './customer-ref.js';
import { FeedBuilder, commonlyBlank, dateSpec, type ProposeContext, type ProposedFeeds } from './draft.js';
import { findColumn, isDate, knownValues } from './roles.js';
import { isChurnedStatus } from './value-maps.js';

/**
 * status_changes from subscriptions: active at the start date; churned at
 * the cancellation date when there is one (Stripe `Canceled At (UTC)`, the
 * day the customer asked; `Ended At` is when service stopped), with the
 * cancellation reason. Without a cancellation date, a churned status is
 * dated at as_of.
 */
export function proposeStatusChanges(ctx: ProposeContext): ProposedFeeds {
  const { file, customer } = ctx;
  if (customer === undefined) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no column names the customer' };
  const start = findColumn(file, 'subscriptionStart', isDate);
  const end = findColumn(file, 'subscriptionEnd', isDate);
  const reason = findColumn(file, 'cancellationReason');
  const status = findColumn(file, 'subscriptionStatus', (c) => c.allValues !== undefined);
  const feeds: FeedBuilder[] = [];
  const nonblankCustomer = (f: FeedBuilder): FeedBuilder =>
    commonlyBlank(customer.column) ? f.where({ column: customer.column.name, nonblank: true }, 'rows without a customer are left out') : f;

  if (start !== undefined) {
    const d = dateSpec(start);
    const active = new FeedBuilder('status_changes')
      .column('customer_id', customerSpec(customer), customer.note)
      .column('at', d.spec, `${d.note}; the subscription starts`)
      .column('status', { value: 'active' });
    if (commonlyBlank(start)) active.where({ column: start.name, nonblank: true });
    feeds.push(nonblankCustomer(active));
  }
  if (end !== undefined) {
    const d = dateSpec(end);
    const churned = new FeedBuilder('status_changes')
      .column('customer_id', customerSpec(customer), customer.note)
      .column('at', d.spec, `${d.note}; the customer cancelled`)
      .column('status', { value: 'churned' });
    if (reason !== undefined) churned.column('reason', reason.name);
    churned.where({ column: end.name, nonblank: true }, 'only cancelled subscriptions have this date');
    feeds.push(nonblankCustomer(churned));
  } else if (status !== undefined) {
    const gone = knownValues(status).filter(isChurnedStatus);
    if (gone.length > 0) {
      const churned = new FeedBuilder('status_changes')
        .column('customer_id', customerSpec(customer), customer.note)
        .column('at', { value: '$as_of' }, 'no cancellation date: dated at as_of')
        .column('status', { value: 'churned' })
        .where({ column: status.name, in: gone });
      if (reason !== undefined) churned.column('reason', reason.name);
      feeds.push(nonblankCustomer(churned));
    }
  }
  if (feeds.length === 0) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no start or cancellation dates were recognised' };
  const id = file.columns.find((c) => c.key === 'id' && c.unique);
  return { feeds, remarks: [], facts: { dates: [...(start?.values ?? []), ...(end?.values ?? [])] }, ...(id === undefined ? {} : { rowKey: [id.name] }) };
}
