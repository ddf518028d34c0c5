import type { InteractionChannel } from '../../model/tables.js';
import { customerSpec } from './customer-ref.js';
import { FeedBuilder, commonlyBlank, dateSpec, type ProposeContext, type ProposedFeeds } from './draft.js';
import { findColumn, isDate, isNumber, knownValues } from './roles.js';
import { channelOfValue, resolvedOfValue, satisfactionOfValue } from './value-maps.js';

/**
 * interactions (tickets, cases): id, customer, opened at, channel (mapped
 * from Via / Source / Case Origin, default other), reason (a low-cardinality
 * type or category column), handling minutes, resolved (from the status),
 * satisfaction (labels mapped to 0..1, or a numeric scale).
 */
export function proposeInteractions(ctx: ProposeContext): ProposedFeeds {
  const { file, customer } = ctx;
  if (customer === undefined) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no column names the customer' };
  const feed = new FeedBuilder('interactions');
  const remarks: string[] = [];
  const id = findColumn(file, 'ticketId', (c) => c !== customer.column);
  if (id !== undefined) feed.column('interaction_id', id.name);
  feed.column('customer_id', customerSpec(customer), customer.note);
  const at = findColumn(file, 'openedAt', (c) => isDate(c) && !/updated|due|solved|resolved|closed|assigned/.test(c.key));
  if (at === undefined) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no date the ticket was opened was recognised' };
  const d = dateSpec(at);
  feed.column('at', d.spec, d.note);

  const channel = findColumn(file, 'channel', (c) => c.allValues !== undefined);
  if (channel !== undefined) {
    const map: Record<string, InteractionChannel> = {};
    for (const v of knownValues(channel)) map[v] = channelOfValue(v);
    feed.column('channel', { column: channel.name, map, default: 'other' }, 'CHECK the channel of each value; unlisted values count as other');
  } else {
    feed.column('channel', { value: 'other' }, 'no channel column');
  }

  const reason = findColumn(file, 'reason', (c) => c.allValues !== undefined && c.distinct <= 40);
  if (reason !== undefined) feed.column('reason', reason.name);

  const minutes = findColumn(file, 'handlingMinutes', isNumber);
  if (minutes !== undefined) feed.column('handling_minutes', minutes.name, /resolution/.test(minutes.key) ? 'elapsed time to resolution, used as handling time; CHECK' : undefined);
  const hours = file.columns.find((c) => /resolution time \(in hrs\)/.test(c.key));
  if (minutes === undefined && hours !== undefined) remarks.push(`"${hours.name}" holds HH:MM:SS despite its name and is often blank: not mapped to handling_minutes.`);

  const status = findColumn(file, 'ticketStatus', (c) => c.allValues !== undefined && knownValues(c).some((v) => resolvedOfValue(v) !== undefined));
  if (status !== undefined) {
    const map: Record<string, boolean> = {};
    for (const v of knownValues(status)) map[v] = resolvedOfValue(v) ?? false;
    feed.column('resolved', { column: status.name, map, default: false }, 'resolved when solved or closed');
  }

  const satisfaction = findColumn(file, 'satisfaction', (c) => c.values.length > 0);
  if (satisfaction !== undefined) {
    const n = satisfaction.number;
    if (n !== undefined) {
      const scale: [number, number] = n.max <= 5 ? [1, 5] : n.max <= 7 ? [1, 7] : [0, 10];
      feed.column('satisfaction', { column: satisfaction.name, scale }, `scores ${n.min}..${n.max} read on a ${scale[0]}-${scale[1]} scale`);
    } else {
      const map: Record<string, number | null> = {};
      const unknown: string[] = [];
      for (const v of knownValues(satisfaction)) {
        const s = satisfactionOfValue(v);
        if (s === undefined) unknown.push(v);
        else map[v] = s;
      }
      const note = unknown.length > 0 ? `CHECK: ${unknown.join(', ')} not understood (left empty)` : 'good = 1, bad = 0; not rated = empty';
      feed.column('satisfaction', { column: satisfaction.name, map, default: null }, note);
    }
  }
  if (commonlyBlank(customer.column)) feed.where({ column: customer.column.name, nonblank: true }, 'tickets without a known requester are left out');
  return { feeds: [feed], remarks, facts: { dates: at.values }, ...(id?.unique === true ? { rowKey: [id.name] } : {}) };
}
