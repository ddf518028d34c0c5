import { emptyParts, mergeParts, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { attributesSection } from './attributes.js';
import { channelsSection } from './channels.js';
import { cohortMixSection } from './cohort-mix.js';
import { concentrationSection } from './concentration.js';
import { headcountSection } from './headcount.js';
import type { SectionOutput } from './section.js';
import { surveyCoverageSection } from './survey-coverage.js';
import { tenureSection } from './tenure.js';
import { valueTiersSection } from './value-tiers.js';

/**
 * The profile, section by section: who the customers are, how long they
 * stay, how the mix of new customers moves, how they reach the company,
 * how concentrated value is, the typical customer of each value tier and
 * what sets the top apart, and whom the survey speaks for. Heavy work is SQL
 * aggregates over customer_facts; TypeScript only does the small math.
 */
export async function runProfile(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision'>): Promise<Result> {
  const sections: SectionOutput[] = [];
  for (const section of [headcountSection, tenureSection, cohortMixSection, channelsSection, concentrationSection, valueTiersSection, surveyCoverageSection, attributesSection]) {
    sections.push(await section(ctx));
  }
  const parts = emptyParts();
  for (const s of sections) mergeParts(parts, s);
  parts.summary.push(...sections.flatMap((s) => s.gaps ?? []));
  return okResult(ctx, analysis, parts, {
    description:
      'Who the customers are: the distribution of every attribute, tenure, the mix of new customers per signup quarter, contacts by channel overall and by age band and segment, ' +
      'value concentration (top 10% and 20% shares, Gini), the typical customer of each quarter of net value and what sets the top quarter apart, and survey coverage.',
    assumptions: [
      'Every number is computed over customer_facts at as_of, restricted to the segment when one is given; groups of fewer than 5 customers are suppressed.',
      ...sections.flatMap((s) => s.assumptions ?? []),
    ],
  });
}
