import type { Interval } from '../result.js';
import { words } from '../wording.js';
import type { AreaLink } from './area-links.js';
import type { ThemeImpact } from './theme-impact.js';

/** A share as a manager reads it: whole percent from 10%, one decimal below. */
export function percent(share: number): string {
  return words.percent(share, share >= 0.0995 ? 0 : 1);
}

/** "14% (13-15%)". */
export function shareWithRange(share: number, interval: Interval): string {
  const digits = interval.lower >= 0.0995 ? 0 : 1;
  return `${percent(share)} (${(interval.lower * 100).toFixed(digits)}-${words.percent(interval.upper, digits)})`;
}

/** Signed whole points: "+12", "−48". */
export function signedPoints(x: number): string {
  const rounded = Math.round(x);
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${Math.abs(rounded)}`;
}

/** A compound score, signed, two decimals: "+0.41", "−0.37". */
export function signedCompound(x: number): string {
  const text = Math.abs(x).toFixed(2);
  return text === '0.00' ? text : `${x > 0 ? '+' : '−'}${text}`;
}

/** The area a theme feeds, for a sentence: "Billing and payments", or why there is none. */
export function areaWords(theme: ThemeImpact['theme'], link: AreaLink): string {
  if (link.key !== null) return link.label ?? link.key;
  if (link.how === 'no_area') return 'no area (an emerging theme)';
  return `no experience area matches "${theme.area ?? ''}"`;
}

/**
 * The sentence of one theme: its volume, and its NPS against the other
 * commenters' with the difference's interval, e.g. "Billing errors and
 * unexpected charges: 14% of comments (13-15%), NPS −48 among those who
 * mention it against +12 among the others (−60 points, 95% CI −66 to −54)."
 */
export function themeSentence(impact: ThemeImpact, link: AreaLink): string {
  const volume = `${impact.theme.label}: ${shareWithRange(impact.share.estimate, impact.share.interval)} of comments`;
  const d = impact.difference;
  if (d === null || impact.npsMentioning === null || impact.npsOthers === null) {
    const answered = impact.mentioning.promoters + impact.mentioning.passives + impact.mentioning.detractors;
    return `${volume}; too few NPS answers to compare (${words.count(answered)} among those who mention it).`;
  }
  const head =
    `${volume}, NPS ${signedPoints(impact.npsMentioning.estimate)} among those who mention it against ${signedPoints(impact.npsOthers.estimate)} among the others ` +
    `(${signedPoints(d.estimate)} points, ${words.interval(d.interval, signedPoints)})`;
  switch (impact.status) {
    case 'alert':
      return `${head}: a complaint that clearly costs NPS; area: ${areaWords(impact.theme, link)}.`;
    case 'lower NPS':
      return `${head}: clearly lower NPS.`;
    case 'higher NPS':
      return `${head}: clearly higher NPS.`;
    default:
      return `${head}; not a clear difference.`;
  }
}
