import { Document, isCollection, isMap, isPair, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import type { Note } from './types.js';

/** Collections whose JSON is shorter than this are written on one line (`{ column: Amount, format: iso }`). */
const FLOW_WIDTH = 110;
/** Sections kept one entry per line however short: people edit them line by line. */
const BLOCK_KEYS = new Set(['pii', 'files', 'keys', 'sources', 'feeds', 'columns', 'attributes', 'unpivot', 'segments', 'behaviours', 'fees', 'experience_areas', 'where']);

export interface ConfigText {
  /** Lines of the comment at the top of the file. */
  header: string[];
  body: Record<string, unknown>;
  /** Comments for the line at each path (a trailing comment on one-line values, a comment above otherwise). */
  notes: Note[];
}

/**
 * Write cxray.yaml with the yaml Document API, so every guess carries the
 * comment a person needs to check or correct it.
 */
export function renderConfig(config: ConfigText): string {
  // No anchors: a spec shared by two feeds is written out twice, as a person would.
  const doc = new Document(config.body, { aliasDuplicateObjects: false });
  doc.commentBefore = config.header.map((l) => ` ${l}`.trimEnd()).join('\n');
  if (doc.contents !== null) compact(doc.contents as YamlNode, 0, undefined);

  const byPath = new Map<string, { path: (string | number)[]; texts: string[] }>();
  for (const note of config.notes) {
    const key = JSON.stringify(note.path);
    const entry = byPath.get(key) ?? { path: note.path, texts: [] };
    entry.texts.push(note.text);
    byPath.set(key, entry);
  }
  for (const { path, texts } of byPath.values()) attach(doc, path, texts);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

function compact(node: YamlNode, depth: number, key: string | undefined): void {
  if (!isCollection(node)) return;
  const keepBlock = key !== undefined && BLOCK_KEYS.has(key);
  if (!keepBlock && depth >= 2 && JSON.stringify(node.toJSON()).length < FLOW_WIDTH) {
    node.flow = true;
    return;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (pair.value !== null && isCollection(pair.value)) compact(pair.value, depth + 1, k);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) if (isCollection(item)) compact(item, depth + 1, undefined);
  }
}

function attach(doc: Document, path: (string | number)[], texts: string[]): void {
  const text = texts.join('; ');
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) return;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      pair = undefined;
      node = node.items[segment];
    } else return;
  }
  if (isScalar(node) || (isCollection(node) && node.flow === true)) {
    (node as { comment?: string | null }).comment = appendComment((node as { comment?: string | null }).comment, text);
    return;
  }
  const target = pair !== undefined && isScalar(pair.key) ? pair.key : (node as { commentBefore?: string | null } | undefined);
  if (target !== undefined) target.commentBefore = appendComment(target.commentBefore, text);
}

function appendComment(existing: string | null | undefined, text: string): string {
  const line = text
    .split('\n')
    .map((l) => ` ${l}`.trimEnd())
    .join('\n');
  return existing === undefined || existing === null || existing === '' ? line : `${existing}\n${line}`;
}
