import type { Chart } from '../analysis/result.js';
import { repairChannelSort } from './chart-repair.js';
import { svgHazard } from './svg-safety.js';

/**
 * A chart drawn, or why not: `empty` has no rows to draw (said in the
 * report, not a fault); `refused` asked to load something; `failed` could
 * not be compiled or drawn.
 */
export type DrawnChart = { kind: 'drawn'; svg: string; problem: null } | { kind: 'empty' | 'refused' | 'failed'; svg: null; problem: string };

/** A spec that asks to load something (data by URL, an image mark, a link): the report draws only inline data. */
export function specHazard(spec: unknown): string | null {
  const stack: unknown[] = [spec];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'url' || key === 'href') return `it asks to load or link a resource (${key})`;
        if ((key === 'mark' || key === 'type') && value === 'image') return 'it draws images by URL';
        // Inline rows are data, whatever their fields are called.
        if (key !== 'values' && key !== 'datasets') stack.push(value);
      }
    }
  }
  return null;
}

function refuse(): Promise<never> {
  return Promise.reject(new Error('a cxray report loads nothing: charts carry their data inline'));
}

/**
 * Ids inside an SVG (gradients, clip paths) get a chart-specific prefix, so
 * that many charts inlined in one HTML page never point at each other's.
 */
export function prefixIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}${id}"`);
}

/**
 * Draws a Vega-Lite chart as a standalone SVG, in Node, with Vega's
 * headless view (`renderer: 'none'`, `toSVG()`). Nothing is loaded: a
 * spec that asks for a URL is refused before Vega sees it, and the loader
 * refuses every URL anyway (the Result contract puts data inline). Vega
 * escapes the text it writes (labels are user data); the output is checked
 * anyway, and anything that could run or fetch makes it a problem, not a
 * chart. Specs Vega-Lite cannot compile because of a known bug are repaired
 * (repairChannelSort); any other failure is returned as the problem.
 */
export async function drawChart(spec: Chart, idPrefix: string): Promise<DrawnChart> {
  const asks = specHazard(spec);
  if (asks !== null) return { kind: 'refused', svg: null, problem: `${asks}; a report fetches nothing.` };
  if (spec.data.values.length === 0) return { kind: 'empty', svg: null, problem: 'it has no rows to draw.' };
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const logger = vega.logger(vega.None);
  const compile = (s: Chart) => vl.compile(s as unknown as Parameters<typeof vl.compile>[0], { logger }).spec;
  let compiled;
  try {
    try {
      compiled = compile(spec);
    } catch (error) {
      const repaired = repairChannelSort(spec);
      if (repaired === null) throw error;
      compiled = compile(repaired);
    }
  } catch (error) {
    return { kind: 'failed', svg: null, problem: `Vega-Lite could not compile its specification (${error instanceof Error ? error.message : String(error)}).` };
  }
  const loader = { ...vega.loader(), load: refuse, sanitize: refuse, http: refuse, file: refuse };
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader, logger, logLevel: vega.None });
  try {
    const svg = prefixIds(await view.toSVG(), idPrefix);
    const hazard = svgHazard(inlineSvg(svg));
    if (hazard !== null) return { kind: 'refused', svg: null, problem: `its drawing held ${hazard}, which could run code or fetch a resource, so it is left out.` };
    return { kind: 'drawn', svg, problem: null };
  } catch (error) {
    return { kind: 'failed', svg: null, problem: `Vega could not draw it (${error instanceof Error ? error.message : String(error)}).` };
  } finally {
    view.finalize();
  }
}

/** An SVG for inlining in HTML: the XML namespace declarations go (HTML knows SVG), and with them every URL. */
export function inlineSvg(svg: string): string {
  return svg.replace(/\sxmlns(?::xlink)?="[^"]*"/g, '');
}
