import type { OutcomeInstrument } from '../key-drivers/survey-layout.js';
import type { Interval } from '../result.js';
import { words } from '../wording.js';
import { CHARACTERISTIC_LABELS, type Characteristic } from './characteristics.js';
import type { ContactMeasure } from './contact-touchpoints.js';

const ORDINALS = ['', 'the most', 'the second most', 'the third most', 'the fourth most', 'the fifth most', 'the sixth most', 'the seventh most', 'the eighth most', 'the ninth most', 'the tenth most'];

/** "the most important", "the second most important", ..., "the 12th most important". */
export function importanceRank(rank: number): string {
  return `${ORDINALS[rank] ?? `the ${rank}th most`} important`;
}

/** What the overall answer the areas are weighed against is called in a sentence. */
export const OUTCOME_WORDS: Record<OutcomeInstrument, string> = { nps: 'NPS', csat: 'overall satisfaction (CSAT)', rating: 'the overall rating' };

/** A 0-100 score: one decimal. */
export const score = (x: number): string => words.number(x, 1);

/** "52.3 of 100 (95% CI 50.1 to 54.5)". */
export function scoreWords(value: number, interval: Interval): string {
  return `${score(value)} of 100 (${words.interval(interval, score)})`;
}

/** A signed change: "+1.2", "−0.8". */
export const signed = (x: number, digits = 1): string => `${x >= 0 ? '+' : '−'}${words.number(Math.abs(x), digits)}`;

export const characteristicWords = (c: Characteristic): string => CHARACTERISTIC_LABELS[c];

export const MEASURE_WORDS: Record<ContactMeasure, { name: string; unit: string }> = {
  resolution: { name: 'resolution', unit: 'share resolved, 0-100' },
  interaction_satisfaction: { name: 'satisfaction with the contact', unit: 'mean satisfaction, 0-100' },
  contact_rate: { name: 'contact rate', unit: 'contacts per 100 customer-months' },
};

/** A capitalised first letter, for a label that starts a sentence. */
export const sentenceStart = (text: string): string => (text.length === 0 ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`);
