import { ApiProblem } from './api-client.js';
import { h } from './dom.js';

/**
 * Loading, empty and error states in words. An error shows the API's
 * problem `detail` (what went wrong) and `hint` (what to do).
 */
export function loadingState(what: string): HTMLElement {
  return h('p', { class: 'state state-loading', 'data-kind': 'loading' }, `Loading ${what}…`);
}

export function emptyState(text: string, hint?: string): HTMLElement {
  return h('div', { class: 'state state-empty', 'data-kind': 'empty' }, h('p', {}, text), hint === undefined ? null : h('p', { class: 'hint' }, hint));
}

/** The segment matches nobody: the API's 400 segment_empty, said as an empty state rather than a fault. */
export function isEmptySegment(error: unknown): boolean {
  return error instanceof ApiProblem && error.code === 'segment_empty';
}

export function errorState(error: unknown, what?: string): HTMLElement {
  if (isEmptySegment(error)) {
    const problem = error as ApiProblem;
    return emptyState(`No customers match this segment. ${problem.detail}`, problem.hint === '' ? undefined : problem.hint);
  }
  const detail = error instanceof ApiProblem ? error.detail : error instanceof Error ? error.message : String(error);
  const hint = error instanceof ApiProblem ? error.hint : 'Reload the page; if it persists, the browser console and the server log say why.';
  return h(
    'div',
    { class: 'state state-error', role: 'alert', 'data-kind': 'error' },
    h('p', {}, what === undefined ? detail : `Could not load ${what}: ${detail}`),
    hint === '' ? null : h('p', { class: 'hint' }, hint),
  );
}
