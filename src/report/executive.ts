import type { AnalysisName } from '../analysis/names.js';
import { countValue, type Result } from '../analysis/result.js';
import { words } from '../analysis/wording.js';
import type { Snapshot } from '../analysis/snapshots/snapshot.js';
import type { Block, FindingItem } from './document.js';
import { formatMoneyAtStake } from './format-value.js';
import { rankFindings, type RankedFinding } from './rank-findings.js';

export interface ExecutiveInputs {
  results: readonly Result[];
  titles: ReadonlyMap<AnalysisName, string>;
  /** The snapshot of this import version and config, or null when there is none. */
  snapshot: Snapshot | null;
  /** Whether the report is about a segment or a period rather than the whole base. */
  filtered: boolean;
}

function stakeOf(ranked: RankedFinding): string {
  const f = ranked.finding;
  const n = `n = ${words.count(countValue(f.n))}`;
  return f.moneyAtStake === undefined ? n : `${formatMoneyAtStake(f.moneyAtStake)} at stake; ${n}`;
}

/**
 * The ideal customer in one paragraph, from ideal-profile's rules (the first
 * that holds, the others that hold, what these customers value) and fit's
 * calibration (what a high score is worth); when they did not run, why.
 */
export function idealCustomerParagraph(results: readonly Result[]): string {
  const ideal = results.find((r) => r.name === 'ideal-profile');
  const fit = results.find((r) => r.name === 'fit');
  const parts: string[] = [];
  if (ideal?.status === 'ok') {
    const [first] = ideal.summary;
    if (first !== undefined) parts.push(first);
    parts.push(...ideal.summary.filter((s) => s.startsWith('Also a good fit:')));
    const values = ideal.summary.find((s) => s.startsWith('What the ideal customers'));
    if (values !== undefined) parts.push(values);
  } else {
    parts.push(`No ideal profile is stated: ${ideal?.reason ?? 'the ideal-profile analysis did not run.'}`);
  }
  if (fit?.status === 'ok') {
    const spread = fit.findings.find((f) => f.code === 'fit.calibration_spread');
    if (spread !== undefined) parts.push(spread.text);
  } else if (ideal?.status === 'ok') {
    parts.push(`Fit scores are not available: ${fit?.reason ?? 'the fit analysis did not run.'}`);
  }
  return parts.join(' ');
}

/** What changed since the previous snapshot, as the snapshot recorded it. */
export function whatChanged(snapshot: Snapshot | null, filtered: boolean): Block[] {
  const scope: Block[] = filtered ? [{ kind: 'paragraph', text: 'Snapshots describe the whole customer base, not only the segment or period of this report.', tone: 'note' }] : [];
  if (snapshot === null) {
    return [...scope, { kind: 'paragraph', text: 'There is no snapshot of this import version yet, so nothing is compared: `cxray analyze profile` writes one.', tone: 'note' }];
  }
  if (snapshot.changes.length === 0) {
    return [...scope, { kind: 'paragraph', text: `Snapshot ${snapshot.id} is the first of this workspace: the next report will say what changed since it.`, tone: 'plain' }];
  }
  return [...scope, { kind: 'list', items: snapshot.changes, tone: 'plain' }];
}

/** The executive page: the findings with most at stake, the ideal customer, what changed. */
export function executiveBlocks(inputs: ExecutiveInputs): { blocks: Block[]; ranked: RankedFinding[] } {
  const ranked = rankFindings(inputs.results);
  const items: FindingItem[] = ranked.map((r) => ({ text: r.sentence, severity: r.finding.severity, detail: stakeOf(r), source: inputs.titles.get(r.analysis) ?? r.analysis }));
  const blocks: Block[] = [{ kind: 'heading', text: ranked.length >= 5 ? 'The five findings with most at stake' : 'The findings with most at stake', id: 'executive-findings' }];
  if (items.length === 0) {
    blocks.push({ kind: 'paragraph', text: 'No finding passed the analyses’ screens for a claim (false discovery rate and practical size); the sections below describe what was measured.', tone: 'note' });
  } else {
    blocks.push({ kind: 'findings', title: null, ordered: true, items });
    if (items.length < 5) blocks.push({ kind: 'paragraph', text: `Only ${words.count(items.length)} finding${items.length === 1 ? '' : 's'} passed the analyses’ screens for a claim.`, tone: 'note' });
  }
  blocks.push({ kind: 'heading', text: 'The ideal customer', id: 'executive-ideal' });
  blocks.push({ kind: 'paragraph', text: idealCustomerParagraph(inputs.results), tone: 'plain' });
  blocks.push({ kind: 'heading', text: 'What changed since the last snapshot', id: 'executive-changes' });
  blocks.push(...whatChanged(inputs.snapshot, inputs.filtered));
  return { blocks, ranked };
}
