import type { ResultParts } from '../result-builder.js';

/** What one part of the profile contributes to the Result, and the assumptions it made. */
export interface SectionOutput extends Partial<ResultParts> {
  assumptions?: string[];
  /** Sentences that go last in the summary (what is missing, and what to export). */
  gaps?: string[];
}
