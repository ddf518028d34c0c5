import type { WhatIfAnswer } from './api-types.js';
import { h, replace } from './dom.js';
import { countText, formatEstimate } from './format.js';
import type { PageContext } from './page-context.js';
import { errorState, loadingState } from './states.js';

export interface WhatIfBehaviour {
  key: string;
  label: string;
}

type Part = WhatIfAnswer['whatIf']['money'] | WhatIfAnswer['whatIf']['satisfaction'] | WhatIfAnswer['whatIf']['retention'];

function partCard(kind: string, title: string, part: Part): HTMLElement {
  if (part.status === 'missing') return h('div', { class: 'kpi kpi-missing', 'data-whatif': kind }, h('div', { class: 'kpi-label' }, title), h('div', { class: 'kpi-note' }, part.reason));
  const text = formatEstimate(part.estimate, part.interval, part.unit);
  const at = text.indexOf(' (');
  const suffix = kind === 'money' ? ' a year' : '';
  return h(
    'div',
    { class: 'kpi', 'data-whatif': kind, title: part.assumption },
    h('div', { class: 'kpi-label' }, title),
    h('div', { class: 'kpi-value', 'data-value': '' }, `${at < 0 ? text : text.slice(0, at)}${suffix}`),
    h('div', { class: 'kpi-note' }, at < 0 ? '' : text.slice(at + 2, -1)),
    h('p', { class: 'kpi-sentence' }, part.sentence),
  );
}

/**
 * The what-if: N more points of adoption of a behaviour, answered by the
 * API (`GET /api/whatif`, the segment of the page): money a year, the change
 * in satisfaction and in churn, each with its interval and the sentence and
 * assumption behind it. The slider asks again as it moves (after a pause).
 */
export function whatIfPanel(ctx: PageContext, behaviours: readonly WhatIfBehaviour[]): HTMLElement {
  const first = behaviours[0];
  if (first === undefined) return h('p', { class: 'state', 'data-kind': 'empty' }, 'No behaviour is valued in this Result, so there is nothing to simulate.');
  const select = h('select', { name: 'behaviour', 'aria-label': 'Behaviour' }, behaviours.map((b) => h('option', { value: b.key }, b.label)));
  const slider = h('input', { type: 'range', name: 'points', min: 0, max: 30, step: 1, value: 10, 'aria-label': 'More percentage points of adoption' });
  const shown = h('output', { class: 'points' }, '+10 points');
  const answer = h('div', { class: 'whatif-answer' });
  const root = h(
    'div',
    { class: 'whatif', 'data-whatif-state': 'loading' },
    h('div', { class: 'whatif-controls' }, h('label', {}, 'If adoption of ', select), h('label', {}, ' rose by ', slider, shown)),
    ctx.filter.from !== undefined || ctx.filter.to !== undefined ? h('p', { class: 'hint' }, 'The what-if is of the segment over the whole period: the endpoint takes no period.') : null,
    answer,
  );
  let asked = 0;
  const ask = async (): Promise<void> => {
    const ticket = ++asked;
    root.dataset['whatifState'] = 'loading';
    const points = Number(slider.value);
    if (answer.childElementCount === 0) replace(answer, loadingState('the what-if'));
    try {
      const { whatIf } = await ctx.client.whatIf(select.value, points, ctx.filter.segment);
      if (ticket !== asked) return;
      replace(
        answer,
        h('p', { class: 'whatif-scope' }, `${whatIf.label}: +${whatIf.appliedPoints} points of adoption, about ${countText(Math.round(whatIf.newAdopters))} more adopters of ${countText(whatIf.customers)} customers${whatIf.adoptionShare === null ? '' : ` (${(whatIf.adoptionShare * 100).toFixed(1)}% adopt now)`}.`),
        h('div', { class: 'kpis' }, partCard('money', 'Money a year', whatIf.money), partCard('satisfaction', 'Satisfaction', whatIf.satisfaction), partCard('retention', 'Churn', whatIf.retention)),
        whatIf.notes.length === 0 ? null : h('ul', { class: 'warnings' }, whatIf.notes.map((n) => h('li', {}, n))),
      );
    } catch (error) {
      if (ticket !== asked) return;
      replace(answer, errorState(error, 'the what-if'));
    }
    root.dataset['whatifState'] = 'ready';
    root.dataset['points'] = String(points);
  };
  let pause: ReturnType<typeof setTimeout> | undefined;
  const later = (): void => {
    shown.textContent = `+${slider.value} points`;
    root.dataset['whatifState'] = 'loading';
    clearTimeout(pause);
    pause = setTimeout(() => void ask(), 250);
  };
  slider.addEventListener('input', later);
  slider.addEventListener('change', later);
  select.addEventListener('change', later);
  void ask();
  return root;
}
