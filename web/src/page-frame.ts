import { h } from './dom.js';
import { ApiProblem } from './api-client.js';
import { FILTER_KEYS, filterWords } from './filter.js';
import type { Loaded, PageContext } from './page-context.js';
import { errorState, isEmptySegment } from './states.js';

/** A page's heading, with the filter it shows in words. */
export function pageHeader(ctx: PageContext, title: string, intro: string): HTMLElement {
  return h('header', { class: 'page-head' }, h('h1', {}, title), h('p', { class: 'lead' }, intro), h('p', { class: 'scope', 'data-scope': '' }, `Showing ${filterWords(ctx.filter)}.`));
}

/**
 * The page's one state when its filter cannot be applied: a segment that
 * matches no customer (the API's 400 segment_empty, an empty state), or a
 * rule or date the API refuses (its problem, naming the parameter). Every
 * analysis would answer the same, so it is said once instead of once per
 * section. Null when the filter is fine.
 */
export function filterProblem(loaded: Readonly<Record<string, Loaded>>): HTMLElement | null {
  for (const l of Object.values(loaded)) {
    if (l.ok) continue;
    const error = l.error;
    if (isEmptySegment(error)) return errorState(error);
    if (error instanceof ApiProblem && error.status === 400 && FILTER_KEYS.some((k) => k === error.parameter)) return errorState(error, 'the page for this filter');
  }
  return null;
}

/** A short section of the page's own (a heading and what it holds). */
export function block(title: string, ...children: (Node | null)[]): HTMLElement {
  return h('section', { class: 'block' }, h('h2', {}, title), children);
}
