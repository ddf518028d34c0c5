import type { AnalysisName } from '../analysis/names.js';
import type { Chart, Severity } from '../analysis/result.js';

/**
 * The report as a format-free document: sections of blocks holding text
 * already worded and numbers already formatted from the Results. The HTML
 * and Markdown writers only lay it out; neither computes nor words anything.
 * Every string is plain text (writers escape it).
 */
export interface ReportDocument {
  title: string;
  /** Where the report came from: label and value, in order. */
  provenance: [string, string][];
  sections: ReportSection[];
}

export interface ReportSection {
  /** Anchor, unique in the document. */
  id: string;
  title: string;
  /** One line under the title, or null. */
  lead: string | null;
  blocks: Block[];
}

export type Block = Heading | Paragraph | ItemList | FindingList | DisplayTable | ChartBlock | Facts;

export interface Heading {
  kind: 'heading';
  text: string;
  id: string;
}

export interface Paragraph {
  kind: 'paragraph';
  text: string;
  /** note: a skipped analysis, a truncated table; warning: something to act on. */
  tone: 'plain' | 'note' | 'warning';
}

export interface ItemList {
  kind: 'list';
  items: string[];
  tone: 'plain' | 'warning';
}

export interface FindingItem {
  text: string;
  severity: Severity;
  /** The finding's fields in words: estimate and interval, n, money at stake. */
  detail: string;
  /** The analysis it comes from (title), shown on the executive page. */
  source: string | null;
}

export interface FindingList {
  kind: 'findings';
  /** A label over the list, or null. */
  title: string | null;
  ordered: boolean;
  items: FindingItem[];
}

export interface DisplayTable {
  kind: 'table';
  caption: string;
  headers: string[];
  /** Whether each column holds numbers (right-aligned). */
  numeric: boolean[];
  rows: string[][];
  /** What was left out (rows or columns beyond the limits), or null. */
  note: string | null;
}

export interface ChartBlock {
  kind: 'chart';
  /** Unique in the document, e.g. `chart-07`; also the stem of the chart's file beside a Markdown report. */
  id: string;
  analysis: AnalysisName;
  title: string;
  spec: Chart;
}

export interface Facts {
  kind: 'facts';
  rows: [string, string][];
}
