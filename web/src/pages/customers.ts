import type { Result } from '../api-types.js';
import { customerList } from '../customer-list.js';
import { h } from '../dom.js';
import { findingList, findingOf, headlineCards } from '../findings-view.js';
import { currencyOf } from '../format.js';
import { loadResults, okResult, type PageContext } from '../page-context.js';
import { block, filterProblem, pageHeader } from '../page-frame.js';
import { resultSection } from '../result-section.js';

/** The profile's sentence on the snapshot before (record-snapshot.ts puts it first), and its findings. */
function whatChanged(profile: Result | null): HTMLElement {
  if (profile === null) return h('p', { class: 'state' }, 'The profile did not run, so nothing is compared.');
  const sentence = profile.summary.find((s) => /^(Since snapshot|No material change since snapshot)/.test(s));
  const changes = profile.findings.filter((f) => f.code.startsWith('profile.change.'));
  if (sentence === undefined) return h('p', { class: 'state', 'data-kind': 'empty', 'data-changed': 'none' }, 'The profile names no earlier snapshot to compare with: the next import will say what changed since this one.');
  return h('div', { 'data-changed': String(changes.length) }, h('p', {}, sentence), changes.length === 0 ? null : findingList(changes));
}

/** Customers: who they are (the profile), what changed since the last snapshot, and the customers themselves, a page at a time. */
export async function renderCustomers(ctx: PageContext): Promise<Node[]> {
  const loaded = await loadResults(ctx, ['profile'] as const);
  const header = pageHeader(ctx, 'Customers', 'Who the customers are, what changed since the last snapshot, and each customer.');
  const empty = filterProblem(loaded);
  if (empty !== null) return [header, empty];
  const profile = okResult(loaded.profile);
  const currency = currencyOf(...(profile?.findings.map((f) => f.unit) ?? []));
  return [
    header,
    headlineCards([
      { label: 'Customers', finding: findingOf(profile, 'profile.customers') },
      { label: 'Share who left', finding: findingOf(profile, 'profile.churned_share') },
      { label: 'Mean tenure', finding: findingOf(profile, 'profile.tenure') },
      { label: 'Answered a survey', finding: findingOf(profile, 'profile.response_rate') },
    ]),
    block('What changed since the last snapshot', whatChanged(profile)),
    block('The customers', await customerList(ctx, currency)),
    resultSection(ctx, 'profile', loaded.profile, { title: 'Profile', open: ['value_tiers'] }),
  ];
}
