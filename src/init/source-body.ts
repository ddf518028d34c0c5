import { isAbsolute, relative } from 'node:path';
import { headerKey } from './names.js';
import type { FeedBuilder, ProposedFeeds, Spec } from './propose/draft.js';
import { proposePii } from './propose/pii.js';
import type { InspectionNotes } from './read/inspect-file.js';
import type { FileInspection, Note, Recognition } from './types.js';

export interface SourcePlan {
  name: string;
  file: FileInspection;
  readNotes: InspectionNotes;
  recognition: Recognition;
  proposed: ProposedFeeds;
}

/** A source as written under `sources.<name>`, with its comments (paths relative to the source). */
export function sourceBody(plan: SourcePlan, workspaceDir: string): { body: Record<string, unknown>; notes: Note[]; comment: string[] } {
  const { file, recognition, proposed } = plan;
  const body: Record<string, unknown> = { files: [filePath(file.path, workspaceDir)], tool: recognition.tool };
  const notes: Note[] = [];

  const csv: Record<string, unknown> = {};
  if (file.delimiter !== ',') csv['delimiter'] = file.delimiter;
  if (file.encoding !== 'utf-8') csv['encoding'] = file.encoding;
  if (file.headerRows !== 1) csv['header_rows'] = file.headerRows;
  if (file.namesRow !== 1) csv['names_row'] = file.namesRow;
  if (file.mergeHeaderRows) csv['merge_header_rows'] = true;
  if (file.dropFooters) csv['drop_footers'] = true;
  if (file.nullValues.length > 0) csv['null_values'] = file.nullValues;
  if (Object.keys(csv).length > 0) {
    body['csv'] = csv;
    const why = [file.encoding !== 'utf-8' || file.bom ? plan.readNotes.encoding : '', file.delimiter !== ',' ? plan.readNotes.delimiter : '', file.headerRows !== 1 ? plan.readNotes.header : ''];
    if (file.dropFooters) why.push('report footer lines at the end');
    if (file.nullValues.length > 0) why.push('cells holding only spaces are empty values');
    notes.push({ path: ['csv'], text: why.filter((w) => w !== '').join('; ') });
  }

  const feeds = proposed.feeds.map((f) => f.feed);
  const used = usedColumns(proposed.feeds, proposed.rowKey);
  const pii = proposePii(file.columns, used);
  if (Object.keys(pii).length > 0) {
    body['pii'] = pii;
    notes.push({ path: ['pii'], text: 'personal data: hash keeps joins working (e-mails used as keys), drop removes the column on import' });
  }
  if (proposed.rowKey !== undefined && proposed.rowKey.length > 0) {
    body['row_key'] = proposed.rowKey;
    notes.push({ path: ['row_key'], text: 'a repeated key with different values is a conflicting duplicate' });
  }
  body['feeds'] = feeds;
  proposed.feeds.forEach((f, i) => {
    for (const n of f.notes) notes.push({ path: ['feeds', i, ...n.path], text: n.text });
  });

  const comment = [
    `${recognition.label}: ${file.fileName}`,
    `Recognised by ${recognition.evidence.join(', ')}.`,
    `Read as ${[plan.readNotes.encoding, plan.readNotes.delimiter, plan.readNotes.header].join(', ')}; ${file.sampleSize} rows sampled.`,
    ...(recognition.advice === undefined ? [] : [recognition.advice]),
    ...proposed.remarks,
  ];
  return { body, notes, comment };
}

/** Relative to the workspace when the file lies inside it, else absolute. */
function filePath(path: string, workspaceDir: string): string {
  const rel = relative(workspaceDir, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** Source columns (header keys) a feed reads: never dropped as personal data. */
export function usedColumns(feeds: readonly FeedBuilder[], rowKey: readonly string[] | undefined): Set<string> {
  const used = new Set<string>((rowKey ?? []).map(headerKey));
  const addSpec = (spec: Spec): void => {
    if (typeof spec === 'string') used.add(headerKey(spec));
    else {
      if (typeof spec['column'] === 'string') used.add(headerKey(spec['column']));
      if (typeof spec['multiply_by'] === 'string') used.add(headerKey(spec['multiply_by']));
    }
  };
  for (const { feed } of feeds) {
    Object.values(feed.columns).forEach(addSpec);
    Object.values(feed.keys ?? {}).forEach(addSpec);
    Object.values(feed.attributes ?? {}).forEach(addSpec);
    Object.keys(feed.unpivot ?? {}).forEach((c) => used.add(headerKey(c)));
    (feed.where ?? []).forEach((w) => used.add(headerKey(w.column)));
  }
  return used;
}
