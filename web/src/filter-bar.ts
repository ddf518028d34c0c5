import type { ApiClient } from './api-client.js';
import { h, replace } from './dom.js';
import type { Filter } from './filter.js';

/**
 * The segment and period filter every page honours: a segment rule (typed,
 * or picked from the segments of cxray.yaml, whose rules the API writes),
 * and a first and last day. Applying it changes the URL; the page follows.
 */
export class FilterBar {
  private readonly rule = h('input', { type: 'text', name: 'segment', placeholder: 'A segment rule, e.g. segment = retail AND age >= 25', 'aria-label': 'Segment rule', autocomplete: 'off', spellcheck: 'false' });
  private readonly pick = h('select', { name: 'pick', 'aria-label': 'Pick a segment' }, h('option', { value: '' }, 'Pick a segment…'));
  private readonly from = h('input', { type: 'date', name: 'from', 'aria-label': 'First day' });
  private readonly to = h('input', { type: 'date', name: 'to', 'aria-label': 'Last day' });

  constructor(
    private readonly root: HTMLElement,
    private readonly onApply: (filter: Filter) => void,
  ) {
    const form = h(
      'form',
      { class: 'filter-bar', 'aria-label': 'Filter' },
      h('label', { class: 'grow' }, h('span', {}, 'Segment'), this.rule),
      h('label', {}, h('span', {}, 'or'), this.pick),
      h('label', {}, h('span', {}, 'From'), this.from),
      h('label', {}, h('span', {}, 'To'), this.to),
      h('div', { class: 'filter-actions' }, h('button', { type: 'submit' }, 'Apply'), h('button', { type: 'button', 'data-action': 'clear' }, 'Clear')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.onApply(this.value());
    });
    form.querySelector('[data-action="clear"]')?.addEventListener('click', () => {
      this.show({});
      this.onApply({});
    });
    this.pick.addEventListener('change', () => {
      if (this.pick.value === '') return;
      this.rule.value = this.pick.value;
      this.pick.value = '';
    });
    replace(root, form);
  }

  /** Fills the picker from /api/segments; without it the rule is typed. */
  async loadSegments(client: ApiClient): Promise<void> {
    try {
      const answer = await client.segments();
      replace(this.pick, h('option', { value: '' }, 'Pick a segment…'));
      this.pick.disabled = false;
      for (const s of answer.segments) {
        this.pick.append(h('optgroup', { label: s.label }, s.levels.map((l) => h('option', { value: l.rule }, `${s.label}: ${l.value} (${l.customers.toLocaleString('en-US')})`))));
      }
    } catch {
      this.pick.disabled = true;
      this.pick.title = 'The segments could not be listed; type a rule instead.';
    }
  }

  value(): Filter {
    const filter: Filter = {};
    const rule = this.rule.value.trim();
    if (rule !== '') filter.segment = rule;
    if (this.from.value !== '') filter.from = this.from.value;
    if (this.to.value !== '') filter.to = this.to.value;
    return filter;
  }

  show(filter: Filter): void {
    this.rule.value = filter.segment ?? '';
    this.from.value = filter.from ?? '';
    this.to.value = filter.to ?? '';
    this.root.dataset['active'] = String(Object.keys(filter).length > 0);
  }
}
