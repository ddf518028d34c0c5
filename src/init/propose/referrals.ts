import { FeedBuilder, dateSpec, type ProposeContext, type ProposedFeeds } from './draft.js';
import { findColumn, isDate } from './roles.js';

/** referrals: who referred whom, and when. */
export function proposeReferrals(ctx: ProposeContext): ProposedFeeds {
  const { file, directory } = ctx;
  const referrer = findColumn(file, 'referrer');
  const referred = findColumn(file, 'referred');
  if (referrer === undefined || referred === undefined) return { feeds: [], remarks: [], facts: {}, leaveOut: 'no referrer and referred columns' };
  const feed = new FeedBuilder('referrals');
  // E-mail columns join through the customers' e-mail key; anything else is taken as customer ids.
  for (const [canonical, c] of [['referrer_id', referrer], ['referred_id', referred]] as const) {
    if (c.email && directory?.emailColumn !== undefined) feed.column(canonical, { column: c.name, via: 'email' }, 'e-mails, joined through the customers e-mail key');
    else feed.column(canonical, c.name, directory === undefined ? undefined : `customer ids as in ${directory.sourceName} (${directory.idColumn.name})`);
  }
  const at = findColumn(file, 'referralAt', isDate);
  if (at !== undefined) {
    const d = dateSpec(at);
    feed.column('at', d.spec, d.note);
  }
  return { feeds: [feed], remarks: [], facts: { dates: at?.values ?? [] } };
}
