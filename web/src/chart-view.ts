import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import { repairChannelSort } from '../../src/report/chart-repair.js';
import { specHazard } from '../../src/report/chart-svg.js';
import type { Chart } from './api-types.js';
import { h, replace } from './dom.js';

function refuse(): Promise<never> {
  return Promise.reject(new Error('the dashboard loads nothing for a chart: its data is inline'));
}

const logger = vega.logger(vega.Error);

/** Below this width legends go under the plot and labels are cut shorter. */
const NARROW = 560;

/**
 * The Vega dataflow of a Result chart at a width: sized to fit it (axes and
 * legends included; under the plot when narrow), its title left to the
 * figure's caption (HTML wraps a long title, SVG would cut it), compiled by
 * Vega-Lite and repaired where a known bug needs it (chart-repair.ts).
 */
function compiled(spec: Chart, width: number): vega.Spec {
  const narrow = width < NARROW;
  const config = {
    axis: { titleLimit: Math.max(80, width - 60), labelLimit: narrow ? 100 : 180 },
    // Centred on a plot that labels squeeze, a long axis title would run off the left edge.
    ...(narrow ? { axisX: { titleAnchor: 'start' } } : {}),
    legend: narrow ? { orient: 'bottom', columns: 2, labelLimit: Math.max(60, Math.floor(width / 2) - 60), titleLimit: width - 20 } : { labelLimit: 160 },
  };
  const sized = { ...spec, title: undefined, width, autosize: { type: 'fit-x', contains: 'padding' }, config } as unknown as Chart;
  const run = (s: Chart): vega.Spec => {
    const out = compile(s as unknown as TopLevelSpec, { logger }).spec;
    if (!narrow) return out;
    // Legends under the plot are laid side by side by default, wider than a phone: stack them instead.
    const legend = { ...(out.config?.legend ?? {}), layout: { bottom: { anchor: 'start', direction: 'vertical', margin: 6 } } };
    return { ...out, config: { ...(out.config ?? {}), legend } } as vega.Spec;
  };
  try {
    return run(sized);
  } catch (error) {
    const repaired = repairChannelSort(sized);
    if (repaired === null) throw error;
    return run(repaired);
  }
}

/**
 * Draws one Result chart into `target` as SVG, with Vega's expression
 * interpreter instead of generated code (the server's Content-Security-
 * Policy forbids eval), and a loader that loads nothing. Problems are said
 * in words where the chart would be.
 */
export async function drawChart(target: HTMLElement, spec: Chart, width: number): Promise<vega.View | null> {
  const hazard = specHazard(spec);
  if (hazard !== null) {
    replace(target, h('p', { class: 'state' }, `This chart is not drawn: ${hazard}.`));
    return null;
  }
  if (spec.data.values.length === 0) {
    replace(target, h('p', { class: 'state', 'data-kind': 'empty' }, 'This chart has no rows to draw.'));
    return null;
  }
  let view: vega.View | null = null;
  try {
    const runtime = vega.parse(compiled(spec, width), undefined, { ast: true });
    const loader = { ...vega.loader(), load: refuse, sanitize: refuse, http: refuse, file: refuse } as unknown as vega.Loader;
    const holder = h('div', { class: 'chart-canvas' });
    replace(target, holder);
    view = new vega.View(runtime, { renderer: 'svg', container: holder, expr: expressionInterpreter, loader, logger, logLevel: vega.Error, hover: false });
    await view.runAsync();
    target.dataset['drawn'] = 'true';
    return view;
  } catch (error) {
    view?.finalize();
    replace(target, h('p', { class: 'state state-error', 'data-kind': 'error' }, `This chart could not be drawn: ${error instanceof Error ? error.message : String(error)}.`));
    return null;
  }
}

interface Placed {
  body: HTMLElement;
  spec: Chart;
  width: number;
  view: vega.View | null;
}

/** The width a chart gets: its box's (the SVG is sized to fit it, legends and axes included). */
function widthOf(body: HTMLElement): number {
  return Math.max(160, Math.floor(body.getBoundingClientRect().width));
}

/**
 * The charts of the page on screen: placed while the page is built, drawn
 * once it is in the document (their width is known then), drawn again at
 * the new width when the window is resized, finalised when the page goes.
 */
export class ChartBoard {
  private placed: Placed[] = [];

  /** A figure for a chart, to be drawn by drawAll. */
  place(spec: Chart): HTMLElement {
    const title = typeof spec.title === 'string' ? spec.title : 'Chart';
    const canvas = h('div', { class: 'chart-body' }, h('p', { class: 'state state-loading' }, `Drawing “${title}”…`));
    const figure = h('figure', { class: 'chart', 'data-chart': title }, h('figcaption', {}, title), canvas);
    this.placed.push({ body: canvas, spec, width: 0, view: null });
    return figure;
  }

  async drawAll(): Promise<void> {
    for (const p of this.placed) {
      if (!p.body.isConnected) continue;
      p.width = widthOf(p.body);
      p.view?.finalize();
      p.view = await drawChart(p.body, p.spec, p.width);
    }
  }

  /** Draws again the charts whose figure changed width. */
  async resize(): Promise<void> {
    for (const p of this.placed) {
      if (!p.body.isConnected || p.view === null) continue;
      const width = widthOf(p.body);
      if (Math.abs(width - p.width) < 8) continue;
      p.width = width;
      p.view.finalize();
      p.view = await drawChart(p.body, p.spec, width);
    }
  }

  clear(): void {
    for (const p of this.placed) p.view?.finalize();
    this.placed = [];
  }
}
