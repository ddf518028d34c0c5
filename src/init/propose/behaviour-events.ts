import { customerSpec } from './customer-ref.js';
import { FeedBuilder, commonlyBlank, dateSpec, type ProposeContext, type ProposedFeeds } from './draft.js';
import { findColumn, isDate, isNumber, knownValues } from './roles.js';

/**
 * behaviour_events: customer, time, event name, optional value. Events of
 * visitors who never identified (blank user id) are left out by a filter, so
 * they are counted as excluded rather than quarantined.
 */
export function proposeBehaviourEvents(ctx: ProposeContext): ProposedFeeds {
  const { file, customer } = ctx;
  if (customer === undefined) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no column names the customer' };
  const name = findColumn(file, 'eventName');
  const at = findColumn(file, 'eventAt', isDate) ?? file.columns.find((c) => isDate(c) && !/date$/.test(c.key));
  if (name === undefined || at === undefined) return { feeds: [], remarks: [], facts: {}, leaveOut: `no ${name === undefined ? 'event name' : 'event time'} column was recognised` };
  const feed = new FeedBuilder('behaviour_events');
  feed.column('customer_id', customerSpec(customer), customer.note);
  const d = dateSpec(at);
  feed.column('at', d.spec, d.note);
  feed.column('behaviour', name.name);
  const value = findColumn(file, 'eventValue', isNumber);
  if (value !== undefined) feed.column('value', value.name);
  const type = file.columns.find((c) => c.key === 'type' && knownValues(c).includes('track'));
  if (type !== undefined) feed.where({ column: type.name, in: ['track'] }, 'track calls are behaviours; identify/page calls are not');
  if (commonlyBlank(customer.column)) feed.where({ column: customer.column.name, nonblank: true }, 'events of visitors who never signed in have no customer');
  const remarks = ['Every event name is loaded; add `{column: ..., in: [...]}` to `where` to keep only the behaviours you track.'];
  return { feeds: [feed], remarks, facts: { eventNames: knownValues(name), dates: at.values } };
}
