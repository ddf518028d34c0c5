import { describe, expect, it } from 'vitest';
import * as vl from 'vega-lite';
import { VEGA_LITE_SCHEMA } from '../analysis/charts.js';
import type { Chart } from '../analysis/result.js';
import { repairChannelSort } from './chart-repair.js';
import { drawChart, inlineSvg, prefixIds, specHazard } from './chart-svg.js';
import { svgHazard } from './svg-safety.js';

const HOSTILE = '<script>alert(1)</script>';

function bars(values: Record<string, string | number>[]): Chart {
  return { $schema: VEGA_LITE_SCHEMA, title: 'Customers by segment', data: { values }, mark: 'bar', encoding: { x: { field: 'n', type: 'quantitative' }, y: { field: 'segment', type: 'nominal' } } };
}

/** The marks a drawn chart holds: Vega writes each mark group as `<g class="mark-<type> role-mark ...">` with one element per item. */
function markItems(svg: string, type: string): number {
  const group = new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>(.*?)</g>`, 's').exec(svg)?.[1] ?? '';
  return (group.match(/<(path|line|rect|circle|text)\b/g) ?? []).length;
}

describe('charts drawn as SVG', () => {
  it('draws a Vega-Lite spec with one mark per row, its labels escaped', async () => {
    const drawn = await drawChart(bars([{ segment: 'retail', n: 5 }, { segment: HOSTILE, n: 3 }, { segment: 'smb & "co"', n: 1 }]), 'c1-');
    expect(drawn.problem).toBeNull();
    const svg = drawn.svg ?? '';
    expect(svg.startsWith('<svg')).toBe(true);
    expect(markItems(svg, 'rect')).toBe(3);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svgHazard(inlineSvg(svg))).toBeNull();
  });

  it('refuses specs that would load anything, before Vega sees them', async () => {
    const byUrl = { ...bars([{ segment: 'a', n: 1 }]), data: { url: 'https://example.com/data.csv' } } as unknown as Chart;
    expect(specHazard(byUrl)).toMatch(/url/);
    expect((await drawChart(byUrl, 'c2-')).problem).toMatch(/fetches nothing/);
    const image = { ...bars([{ segment: 'a', n: 1 }]), mark: { type: 'image' } } as unknown as Chart;
    expect((await drawChart(image, 'c3-')).svg).toBeNull();
    // A field called url in inline rows is data, not a request.
    expect(specHazard(bars([{ segment: 'a', n: 1, url: 'https://example.com' }]))).toBeNull();
    expect(await drawChart(bars([]), 'c6-')).toEqual({ kind: 'empty', svg: null, problem: 'it has no rows to draw.' });
  });

  it('repairs a shared sort by a channel that a reference layer gives as a datum (a Vega-Lite bug), drawing the lines across', async () => {
    const spec: Chart = {
      $schema: VEGA_LITE_SCHEMA,
      data: { values: [{ line: 'fee', ratio: 1.4, lower: 1.2, upper: 1.6 }, { line: 'late', ratio: 0.9, lower: 0.8, upper: 1.0 }, { line: 'paper', ratio: 1.1, lower: 1, upper: 1.2 }] },
      encoding: { y: { field: 'line', type: 'nominal', sort: '-x' } },
      layer: [
        { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } } },
        { mark: 'point', encoding: { x: { field: 'ratio', type: 'quantitative' } } },
        { mark: 'rule', encoding: { x: { datum: 1 } } },
      ],
    };
    expect(() => vl.compile(spec as unknown as Parameters<typeof vl.compile>[0])).toThrow(/fieldDefToSortBy/);
    const repaired = repairChannelSort(spec);
    expect(repaired?.['encoding']).toBeUndefined();
    expect((repaired?.['layer'] as { encoding: { y?: { sort: unknown } } }[]).map((l) => l.encoding.y?.sort)).toEqual([
      { field: 'ratio', op: 'max', order: 'descending' },
      { field: 'ratio', op: 'max', order: 'descending' },
      undefined,
    ]);
    const drawn = await drawChart(spec, 'c4-');
    expect(drawn.problem).toBeNull();
    expect(markItems(drawn.svg ?? '', 'symbol')).toBe(3);
    // Sorted by ratio, descending: fee, paper, late from the top.
    const labels = [...(drawn.svg ?? '').matchAll(/<text[^>]*>(fee|late|paper)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['fee', 'paper', 'late']);
    expect(repairChannelSort(bars([]))).toBeNull();
  });

  it('reports a spec Vega-Lite cannot compile as a problem, not an exception', async () => {
    const broken = { ...bars([{ segment: 'a', n: 1 }]), mark: 'no-such-mark' } as unknown as Chart;
    const drawn = await drawChart(broken, 'c5-');
    expect(drawn.svg).toBeNull();
    expect(drawn.problem).toMatch(/Vega-Lite could not compile/);
  });

  it('prefixes ids so that charts on one page never share them', () => {
    expect(prefixIds('<linearGradient id="gradient_0"/><path fill="url(#gradient_0)"/><use href="#gradient_0"/>', 'chart-03-')).toBe(
      '<linearGradient id="chart-03-gradient_0"/><path fill="url(#chart-03-gradient_0)"/><use href="#chart-03-gradient_0"/>',
    );
  });

  it('finds what could run or fetch in an SVG, and not in escaped text', () => {
    expect(svgHazard('<svg><script>alert(1)</script></svg>')).toMatch(/script/);
    expect(svgHazard('<svg><rect onload="x()"/></svg>')).toMatch(/event handler/);
    expect(svgHazard('<svg><a href="https://example.com"><text>x</text></a></svg>')).toMatch(/<a>/);
    expect(svgHazard('<svg><path fill="url(https://example.com/x)"/></svg>')).toMatch(/url\(\)/);
    expect(svgHazard('<svg><path style="fill: url(\'http://x\')"/></svg>')).toMatch(/url\(\)/);
    expect(svgHazard('<svg><image xlink:href="x.png"/></svg>')).toMatch(/image/);
    expect(svgHazard('<svg><path fill="url(#gradient_0)"/><text aria-label="&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt; src=x onerror=y</text></svg>')).toBeNull();
  });
});
