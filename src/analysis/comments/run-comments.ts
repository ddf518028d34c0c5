import { resolveConcepts } from '../../text/themes/index.js';
import { describePeriod } from '../period.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { COMMENT_THEME_MIN_SHARE, COMMENT_THEME_NPS_MARGIN } from '../thresholds.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { linkThemeArea, type AreaLink } from './area-links.js';
import { npsImpactChart, sentimentTrendChart, themeVolumeChart } from './comment-charts.js';
import { commentColumns, describeColumns } from './comment-columns.js';
import { sentimentParts, themeFinding, trendParts } from './comment-findings.js';
import { languageName, UNREADABLE } from './comment-languages.js';
import { commentRows } from './comment-rows.js';
import { sentimentSummary } from './comment-sentiment.js';
import { languagesTable, samplesTable, sentimentByNpsTable, sentimentTable, themesTable, trendTable } from './comment-tables.js';
import { themeSentence } from './comment-words.js';
import { readComments, THEME_SAMPLE_SIZE, type CommentSet } from './read-comments.js';
import { sentimentTrend } from './sentiment-trend.js';
import { themeImpacts, MINIMUM_NPS_ANSWERS, type ThemeImpact } from './theme-impact.js';

/** Confidence level of every interval. */
const LEVEL = 0.95;

/** What one run computed, for tests that check the analysis against a planted truth comment by comment. */
export interface CommentsRun {
  comments: CommentSet;
  impacts: ThemeImpact[];
  links: ReadonlyMap<string, AreaLink>;
}

/** Why nothing can be read: no comment mapped, or the mapped columns dropped or hashed by `pii`. */
function noCommentsReason(ctx: AnalysisContext): string {
  const columns = commentColumns(ctx.config);
  const scope = `${ctx.scope.segment === null ? '' : ` in the segment ${ctx.scope.segment.rule}`}${ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`}`;
  if (columns.length === 0) {
    return 'cxray.yaml maps no free-text comment: survey_responses has no answers with instrument comment. Map the open question in cxray.yaml (under `unpivot`, `instrument: comment`, or a feed\'s `comment` column) and run `cxray import`.';
  }
  const removed = columns.filter((c) => c.pii !== null);
  if (removed.length === columns.length) {
    return (
      `cxray.yaml's pii settings ${removed.every((c) => c.pii === 'drop') ? 'drop' : 'hash'} the comment column${columns.length === 1 ? '' : 's'} (${describeColumns(columns)}) on import, so no comment text is stored. ` +
      'Comments can hold names, e-mail addresses and phone numbers; cxray masks e-mail addresses and phone numbers in the sample comments it shows. To read them, remove the column from the source\'s `pii` and run `cxray import`.'
    );
  }
  return `No customer${scope} left a comment (${describeColumns(columns)}).`;
}

/**
 * Comments: the free-text answers of the customers in scope (in the
 * period), their language, their sentiment (VADER 3.3.2) and their themes,
 * each theme with its volume, its sentiment, masked sample comments, its
 * link to an experience area, and its impact on NPS (those who mention it
 * against the other commenters), screened for complaints that clearly cost
 * NPS; sentiment against the NPS answers and over time. `observe` receives
 * what was computed (tests compare it with planted truth).
 */
export async function runComments(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>, observe?: (run: CommentsRun) => void): Promise<Result> {
  const rows = await commentRows(ctx);
  if (rows.length === 0) return notRunResult(ctx, analysis, 'skipped', noCommentsReason(ctx));
  const set = readComments(rows, ctx.config.comment_themes);
  if (set.total === 0) {
    const reason = set.hashed > 0 ? `Every comment in scope was hashed on import (cxray.yaml pii: hash on ${describeColumns(commentColumns(ctx.config).filter((c) => c.pii === 'hash'))}): there are no words to read. Remove the comment column from \`pii\` (sample comments shown are masked) and run \`cxray import\`.` : 'Every comment in scope is blank.';
    return notRunResult(ctx, analysis, 'skipped', reason);
  }
  const parts = emptyParts();
  const english = set.english.length;
  const rule = { level: LEVEL, fdr: ctx.thresholds.fdr, minimumShare: COMMENT_THEME_MIN_SHARE, margin: COMMENT_THEME_NPS_MARGIN };
  const themed = set.english.filter((c) => c.themed);
  const impacts = themeImpacts(themed, set.extraction.themes, rule);
  const labels = new Map(resolveConcepts(ctx.config.comment_themes).map((c) => [c.key, c.label]));
  const links = new Map(impacts.map((i) => [i.theme.key, linkThemeArea(i.theme.area, i.theme.concept === null ? null : (labels.get(i.theme.concept) ?? null), ctx.config.experience_areas)]));
  observe?.({ comments: set, impacts, links });

  const where = `${ctx.scope.segment === null ? '' : ` in the segment ${ctx.scope.segment.rule}`}${ctx.period === null ? '' : ` answered ${describePeriod(ctx.period)}`}`;
  const others = set.languages.filter((l) => l.language !== 'en');
  const count = (n: number): string => (n < ctx.thresholds.minimumCellCount ? `fewer than ${ctx.thresholds.minimumCellCount}` : words.count(n));
  const otherWords = others.map((l) => (l.language === UNREADABLE ? `${count(l.comments)} in ${languageName(l.language)} (read as English by the language detector, but too few English words)` : `${count(l.comments)} in ${languageName(l.language)}`));
  parts.summary.push(
    others.length === 0
      ? `${words.count(set.total)} comment${set.total === 1 ? '' : 's'}${where}, all in English: each was read and scored.`
      : `${words.count(set.total)} comments${where}; ${words.count(english)} in English were read and scored; ${words.list(otherWords)} were not scored: the sentiment lexicon and themes are English.`,
  );
  if (set.blank > 0) parts.warnings.push(`${words.count(set.blank)} stored comment(s) are blank and were left out.`);
  if (set.hashed > 0) parts.warnings.push(`${words.count(set.hashed)} comment(s) were hashed on import (cxray.yaml pii: hash) and could not be read.`);

  const sentiment = sentimentSummary(set.english, LEVEL);
  const sentimentText = sentimentParts(sentiment);
  parts.summary.push(...sentimentText.summary);
  parts.findings.push(...sentimentText.findings);

  if (english > 0) {
    const withTheme = themed.filter((c) => c.themes.length > 0).length;
    const compared = impacts.filter((i) => i.difference !== null);
    const costly = compared.filter((i) => (i.cost ?? 0) > 0).slice(0, 3);
    parts.summary.push(
      impacts.length === 0
        ? `No theme recurs in the English comments (a theme needs ${set.extraction.minThemeSize} comments).`
        : `${impacts.length} theme${impacts.length === 1 ? '' : 's'} in the English comments; ${words.percent(withTheme / Math.max(themed.length, 1), 0)} of them mention at least one.` +
            (costly.length === 0 ? '' : ` Where to act first, by the NPS points each costs among commenters (its share of comments times its NPS gap): ${words.list(costly.map((i) => `${i.theme.label} (${words.number(i.cost ?? 0, 1)} points)`))}.`),
    );
    if (set.sampled) {
      parts.summary.push(
        `Themes were read on a random sample of ${words.count(set.themed)} of the ${words.count(english)} English comments (those whose id hashes lowest: the same sample on every run and engine); theme shares and NPS impacts are of that sample, sentiment of every comment.`,
      );
    }
    const alerts = impacts.filter((i) => i.status === 'alert');
    const screen = `Benjamini-Hochberg at ${words.percent(ctx.thresholds.fdr, 0)} across the ${compared.length} theme${compared.length === 1 ? '' : 's'} compared, the whole 95% interval at least ${COMMENT_THEME_NPS_MARGIN} NPS points below the other commenters’, and at least ${words.percent(COMMENT_THEME_MIN_SHARE, 0)} of the comments`;
    if (compared.length > 0) {
      parts.summary.push(
        alerts.length === 0
          ? `No complaint theme clearly costs NPS (${screen}).`
          : `${alerts.length === 1 ? 'One complaint theme clearly costs' : `${alerts.length} complaint themes clearly cost`} NPS (${screen}): ${words.list(alerts.map((i) => i.theme.label))}.`,
      );
      parts.summary.push(...alerts.map((i) => themeSentence(i, links.get(i.theme.key) ?? { key: null, label: null, how: 'none' })));
    } else if (sentiment.withNps > 0) {
      parts.summary.push(`No theme has ${MINIMUM_NPS_ANSWERS} NPS answers both among those who mention it and among the others, so no theme's impact on NPS is measured.`);
    }
    const unlinked = impacts.filter((i) => links.get(i.theme.key)?.key === null);
    if (unlinked.length > 0) {
      parts.summary.push(
        `Not linked to an experience area of cxray.yaml: ${words.list(unlinked.map((i) => (i.theme.area === null ? `${i.theme.label} (an emerging theme)` : `${i.theme.label} (area "${i.theme.area}")`)))}; ` +
          'add the area to experience_areas, or name one with comment_themes.<key>.area.',
      );
    }
    parts.findings.push(...impacts.map((i) => themeFinding(i, links.get(i.theme.key) ?? { key: null, label: null, how: 'none' }, themed.length)));
  }
  const trend = sentimentTrend(set.english, LEVEL);
  const trendText = trendParts(trend);
  parts.summary.push(...trendText.summary);
  parts.findings.push(...trendText.findings);

  parts.tables.push(languagesTable(set.languages, set.total));
  if (english > 0) {
    parts.tables.push(sentimentTable(sentiment), sentimentByNpsTable(sentiment), themesTable(impacts, links), samplesTable(impacts), trendTable(trend));
    parts.charts.push(themeVolumeChart(impacts), npsImpactChart(impacts), sentimentTrendChart(trend));
  }
  return okResult(ctx, analysis, parts, method(ctx, set));
}

function method(ctx: AnalysisContext, set: CommentSet): { description: string; assumptions: string[] } {
  const overrides = Object.keys(ctx.config.comment_themes);
  return {
    description:
      'Comments are the survey answers with instrument comment of the customers in scope' +
      `${ctx.period === null ? '' : ` answered ${describePeriod(ctx.period)}`}, each with the NPS and CSAT answers of its own response (the same response id, else the same customer and instant). ` +
      'Each comment\'s language is detected from its words (English, Spanish, French, German, Italian, Portuguese, Dutch); only English comments are scored and themed, the others are counted by language. ' +
      'Sentiment is VADER 3.3.2\'s compound score (Hutto & Gilbert 2014; a faithful port, every published example within 0.001): positive at 0.05 or more, negative at −0.05 or less; shares carry Wilson intervals, means t intervals. ' +
      'Themes: the comments\' phrases matched against a customer-experience concept lexicon' +
      `${overrides.length === 0 ? '' : ` (changed by cxray.yaml comment_themes: ${overrides.join(', ')})`}` +
      `, each concept split into complaints and praise, and emerging themes from shared phrases; a theme needs ${set.extraction.minThemeSize} comments. ` +
      `Themes are read on at most ${words.count(THEME_SAMPLE_SIZE)} English comments (a fixed random sample above that${set.sampled ? `: ${words.count(set.themed)} of ${words.count(set.english.length)} here` : ''}). ` +
      'A theme\'s volume is the share of those comments mentioning it (primary or secondary theme). Its impact on NPS is the NPS of those commenters against that of the commenters who did not mention it, ' +
      'each with the multinomial variance of promoters minus detractors (Rocks 2016), the difference\'s variance the sum of both; ' +
      `screened across themes with Benjamini-Hochberg at ${words.percent(ctx.thresholds.fdr, 0)} on the one-sided test of a lower NPS. ` +
      `An alert is a complaint theme whose whole 95% interval lies at least ${COMMENT_THEME_NPS_MARGIN} NPS points below zero and that at least ${words.percent(COMMENT_THEME_MIN_SHARE, 0)} of the English comments mention. ` +
      'Themes are listed by the NPS points they cost among the commenters (share times gap), the largest first. ' +
      'A theme\'s experience area is its concept\'s area matched to cxray.yaml\'s experience_areas by key, label or shared words. ' +
      'Sample comments have e-mail addresses and phone or card numbers masked.',
    assumptions: [
      'Each comment is one observation: a customer who commented in several surveys counts once per comment, and the groups a theme splits them into are taken as independent.',
      `Each side of a theme's NPS comparison needs ${MINIMUM_NPS_ANSWERS} NPS answers; the normal interval of an NPS is rough below that.`,
      'Mentioning a theme goes with a lower or higher NPS; it is an association, not proof that fixing the theme would move the score.',
      'Comments too short to tell their language ("ok", "10/10") are read as English.',
      `Stated rate: when no theme goes with a lower NPS, an alert fires in at most ${words.percent(ctx.thresholds.fdr, 0)} of analyses (the false discovery rate; under the complete null any alert is false); the practical margin and size only lower it.`,
    ],
  };
}
