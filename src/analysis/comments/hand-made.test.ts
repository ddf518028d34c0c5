import { beforeAll, describe, expect, it } from 'vitest';
import { polarityScores } from '../../text/index.js';
import { Workspace } from '../../workspace/workspace.js';
import { resultSchema, type Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import type { AnalysisFilter } from '../types.js';
import { handMadeComments, makeHandMadeCommentsWorkspace } from './hand-made.case.js';

// comments on the hand-made company of hand-made.case.ts, whose themes,
// answers and languages are known by construction: 82 English comments (36
// billing complaints, 34 staff praises, 10 parking complaints with an e-mail
// or phone number each, 2 without a theme), 6 Spanish and 5 French ones.

const Z = 1.959963984540054;

/** NPS and its variance from counts, written out (Rocks 2016): each answer scores +100, 0 or −100. */
function nps(promoters: number, passives: number, detractors: number): { nps: number; variance: number } {
  const n = promoters + passives + detractors;
  const p = promoters / n;
  const d = detractors / n;
  return { nps: 100 * (p - d), variance: (10_000 * (p + d - (p - d) ** 2)) / n };
}

let ws: Workspace;

async function comments(w: Workspace, filter: AnalysisFilter = {}): Promise<Result> {
  const { results } = await w.analyze(['comments'], filter, { fresh: true });
  const result = results.find((r) => r.name === 'comments') as Result;
  resultSchema.parse(result);
  return result;
}

function theme(result: Result, key: string): Record<string, unknown> {
  const row = resultRows(result, 'comment_themes').find((r) => r['key'] === key);
  if (row === undefined) throw new Error(`no theme ${key}`);
  return row;
}

beforeAll(async () => {
  ws = new Workspace(makeHandMadeCommentsWorkspace());
  const { ledger } = await ws.import();
  expect(ledger.totals.quarantined).toBe(0);
}, 120_000);

describe('comments on a hand-made company whose themes and answers are known', () => {
  it('counts the Spanish and French comments by language and scores only the English ones', async () => {
    const r = await comments(ws);
    expect([r.status, r.reason]).toEqual(['ok', undefined]);
    expect(r.summary[0]).toBe('93 comments; 82 in English were read and scored; 6 in Spanish and 5 in French were not scored: the sentiment lexicon and themes are English.');
    expect(resultRows(r, 'comment_languages').map((x) => [x['language'], x['comments'], x['status']])).toEqual([
      ['en', 82, 'scored'],
      ['es', 6, 'not scored'],
      ['fr', 5, 'not scored'],
    ]);
    // The shares are those of VADER's compound on the 82 English texts, at ±0.05.
    const english = handMadeComments().filter((c) => c.planted !== 'es' && c.planted !== 'fr');
    const compounds = english.map((c) => polarityScores(c.text).compound);
    const sentiment = resultRows(r, 'comment_sentiment');
    expect(sentiment.map((x) => [x['sentiment'], x['comments']])).toEqual([
      ['positive', compounds.filter((c) => c >= 0.05).length],
      ['neutral', compounds.filter((c) => c > -0.05 && c < 0.05).length],
      ['negative', compounds.filter((c) => c <= -0.05).length],
    ]);
    const mean = compounds.reduce((s, c) => s + c, 0) / compounds.length;
    expect(r.summary[1]).toContain(`mean compound ${mean >= 0 ? '+' : '−'}${Math.abs(mean).toFixed(2)}`);
  });

  it('finds the three planted themes, each comment in its own, with the config’s labels', async () => {
    const r = await comments(ws);
    const rows = resultRows(r, 'comment_themes');
    expect(rows.map((x) => [x['key'], x['theme'], x['comments'], x['mentions']])).toEqual([
      ['billing.negative', 'Wrong or surprising bills', 36, 36],
      ['staff.positive', 'Friendly, helpful staff', 34, 34],
      ['parking.negative', 'Parking: complaints', 10, 10],
    ]);
    expect(theme(r, 'billing.negative')['share']).toBeCloseTo(36 / 82, 12);
    // Mean CSAT of the same responses: 2 for billing; the others 34 fives and 10 threes.
    expect(theme(r, 'billing.negative')['csat_mentioning']).toBeCloseTo(2, 12);
    expect(theme(r, 'billing.negative')['csat_others']).toBeCloseTo((34 * 5 + 10 * 3) / 44, 12);
  });

  it('compares the NPS of those who mention a theme with the other commenters’, with the interval worked out by hand', async () => {
    const r = await comments(ws);
    // Billing: 4 promoters, 8 passives, 24 detractors; the others (staff and parking): 29, 10, 5.
    const a = nps(4, 8, 24);
    const b = nps(29, 10, 5);
    const half = Z * Math.sqrt(a.variance + b.variance);
    const billing = theme(r, 'billing.negative');
    expect([billing['nps_answers'], billing['nps_others_answers'], billing['status']]).toEqual([36, 44, 'alert']);
    expect(billing['nps_mentioning']).toBeCloseTo(a.nps, 10);
    expect(billing['nps_others']).toBeCloseTo(b.nps, 10);
    expect(billing['nps_difference']).toBeCloseTo(a.nps - b.nps, 10);
    expect(billing['difference_lower']).toBeCloseTo(a.nps - b.nps - half, 10);
    expect(billing['difference_upper']).toBeCloseTo(a.nps - b.nps + half, 10);
    // Staff: 26, 6, 2 (customer 37's NPS 0 an hour later is another response and stays out); the others 7, 12, 27.
    const s = nps(26, 6, 2);
    const o = nps(7, 12, 27);
    const staff = theme(r, 'staff.positive');
    expect([staff['nps_answers'], staff['nps_others_answers'], staff['status']]).toEqual([34, 46, 'higher NPS']);
    expect(staff['nps_difference']).toBeCloseTo(s.nps - o.nps, 10);
    expect(staff['difference_upper']).toBeCloseTo(s.nps - o.nps + Z * Math.sqrt(s.variance + o.variance), 10);
    // Parking: 10 answers, under the 30 a comparison needs.
    expect([theme(r, 'parking.negative')['nps_difference'], theme(r, 'parking.negative')['status']]).toEqual([null, 'too few NPS answers']);

    const finding = r.findings.find((f) => f.code === 'comments.theme_nps_impact' && f.severity === 'high');
    expect(finding?.text).toBe(
      'Wrong or surprising bills: 44% (34-55%) of comments, NPS −56 among those who mention it against +55 among the others (−110 points, 95% CI −140 to −80): a complaint that clearly costs NPS; area: Billing and payments.',
    );
    expect(finding?.n).toBe(36);
    expect(r.summary).toContain(finding?.text);
    expect(r.summary.find((x) => x.startsWith('One complaint theme clearly costs NPS'))).toMatch(/across the 2 themes compared.*: Wrong or surprising bills\.$/);
    // Where to act: billing first (it costs NPS), staff last (it lifts it), parking (not compared) after.
    expect(resultRows(r, 'comment_themes').map((x) => x['rank'])).toEqual([1, 2, 3]);
    expect(theme(r, 'billing.negative')['nps_points_cost']).toBeCloseTo((-36 / 82) * (a.nps - b.nps), 10);
  });

  it('links billing by words, parking by the key the config gives it, and says staff has no area', async () => {
    const r = await comments(ws);
    expect(['billing.negative', 'parking.negative', 'staff.positive'].map((k) => [theme(r, k)['experience_area'], theme(r, k)['area_link']])).toEqual([
      ['billing_and_payments', 'words'],
      ['stores', 'key'],
      [null, 'none'],
    ]);
    expect(r.summary).toContain('Not linked to an experience area of cxray.yaml: Friendly, helpful staff (area "staff"); add the area to experience_areas, or name one with comment_themes.<key>.area.');
  });

  it('masks the e-mail addresses and phone numbers the parking comments carry', async () => {
    const r = await comments(ws);
    const samples = resultRows(r, 'comment_theme_samples').filter((x) => x['key'] === 'parking.negative');
    expect(samples).toHaveLength(5);
    for (const s of samples) expect(s['comment']).toMatch(/\[(email|phone)\]/);
    const text = JSON.stringify(r);
    for (const raw of ['sam.jones@example.org', 'pat@example.com', '900123', '7946 0958', '867-5309']) expect(text).not.toContain(raw);
  });

  it('reads sentiment against the NPS answers, and over months', async () => {
    const r = await comments(ws);
    const byClass = resultRows(r, 'comment_sentiment_by_nps');
    // Promoters: 4 billing, 26 staff, 3 parking; detractors 24, 2, 3 (English comments only).
    expect(byClass.map((x) => [x['nps_class'], x['comments']])).toEqual([
      ['promoter', 33],
      ['passive', 18],
      ['detractor', 29],
    ]);
    expect(r.summary.some((x) => x.startsWith('Sentiment agrees with the NPS answers: promoters’ comments average +'))).toBe(true);
    expect(resultRows(r, 'comment_sentiment_trend').map((x) => x['period'])).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']);
    expect(r.charts.map((c) => c.title)).toEqual(['Comment themes by volume, coloured by sentiment', 'NPS of those who mention each theme minus the other commenters’ (95% CI)', 'Sentiment of English comments by month']);
  });

  it('takes a period and a segment: only the comments answered then, by customers in it', async () => {
    const since = await comments(ws, { from: '2025-01-01' });
    expect(resultRows(since, 'comment_languages').map((x) => [x['language'], x['comments']])).toEqual([
      ['en', 82],
      ['es', 6],
    ]);
    const north = await comments(ws, { segment: 'region = north' });
    const expected = handMadeComments().filter((_, k) => k % 2 === 0);
    expect(north.summary[0]).toMatch(new RegExp(`^${expected.length} comments in the segment region = 'north'; ${expected.filter((c) => c.planted !== 'es' && c.planted !== 'fr').length} in English`));
  });

  it('says why when cxray.yaml’s pii drops or hashes the comment column', async () => {
    const dropped = new Workspace(makeHandMadeCommentsWorkspace({ pii: 'drop' }));
    await dropped.import();
    const r = await comments(dropped);
    expect([r.status, r.reason]).toEqual(['skipped', expect.stringMatching(/^cxray\.yaml's pii settings drop the comment column \(comment of survey\) on import, so no comment text is stored\./)]);
    // Hashed comments are stored ('h:' and 32 hex digits) but hold no words: none is read as text.
    const hashed = new Workspace(makeHandMadeCommentsWorkspace({ pii: 'hash' }));
    await hashed.import();
    const h = await comments(hashed);
    expect([h.status, h.reason]).toEqual(['skipped', expect.stringMatching(/^Every comment in scope was hashed on import \(cxray\.yaml pii: hash on comment of survey\)/)]);
  });
});
