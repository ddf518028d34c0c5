import type { RungFigures } from './run.js';

export interface ScalingExponent {
  engine: string;
  from: number;
  to: number;
  /** t ~ n^k between the two rungs: 1 is linear. */
  import: number;
  facts: number;
  analyze: number;
}

const exponent = (t1: number, t2: number, n1: number, n2: number): number => (t1 > 0 && t2 > 0 ? Math.log(t2 / t1) / Math.log(n2 / n1) : NaN);

/** How each engine's times grow between consecutive rungs. */
export function scalingExponents(rungs: readonly RungFigures[]): ScalingExponent[] {
  const out: ScalingExponent[] = [];
  for (let i = 1; i < rungs.length; i += 1) {
    const a = rungs[i - 1] as RungFigures;
    const b = rungs[i] as RungFigures;
    for (const e of b.engines) {
      const prev = a.engines.find((x) => x.engine === e.engine);
      if (prev === undefined) continue;
      out.push({
        engine: e.engine,
        from: a.customers,
        to: b.customers,
        import: exponent(prev.importSeconds, e.importSeconds, a.customers, b.customers),
        facts: exponent(prev.factsSeconds, e.factsSeconds, a.customers, b.customers),
        analyze: exponent(prev.analyzeSeconds, e.analyzeSeconds, a.customers, b.customers),
      });
    }
  }
  return out;
}

const s = (x: number): string => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) : '-');
const r = (x: number): string => (Number.isFinite(x) ? `x${x.toFixed(2)}` : '-');

/** The figures as the Markdown tables of bench/RESULTS.md. */
export function renderMarkdown(rungs: readonly RungFigures[]): string {
  const lines: string[] = [];
  lines.push('| customers | engine | bare read s | staging s | vs bare read | shipping s | customer_facts s | import s | analyze s | peak MiB (process) | peak MiB (servers) |');
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const rung of rungs) {
    for (const e of rung.engines) {
      lines.push(
        `| ${rung.customers.toLocaleString('en-US')} | ${e.engine} | ${s(rung.bareReadSeconds)} | ${s(e.stagingSeconds)} | ${r(e.importToBareReadRatio)} | ${s(e.shippingSeconds)} | ${s(e.factsSeconds)} | ${s(e.importSeconds)} | ${s(e.analyzeSeconds)} | ${e.peakRssMiB} | ${e.serverPeakMiB.join(' + ') || '-'} |`,
      );
    }
  }
  lines.push('');
  lines.push('| customers | engine | analysis | status | s | statements | floor s | vs floor |');
  lines.push('|---:|---|---|---|---:|---:|---:|---:|');
  for (const rung of rungs) {
    for (const e of rung.engines) {
      for (const a of e.analyses) {
        lines.push(`| ${rung.customers.toLocaleString('en-US')} | ${e.engine} | ${a.name} | ${a.status} | ${s(a.seconds)} | ${a.statements} | ${s(a.floorSeconds)} | ${r(a.ratioToFloor)} |`);
      }
    }
  }
  if (rungs.some((rung) => rung.reference.length > 0)) {
    lines.push('');
    lines.push('| customers | reference | read + validate s | per-customer facts s | analysis steps s | total s | peak MiB | cxray analyze speed-up (duckdb / clickhouse) | agreement |');
    lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---|');
    for (const rung of rungs) {
      for (const ref of rung.reference) {
        const speedups = rung.engines.map((e) => `${e.engine} ${r(ref.analysisSeconds / e.analyzeSeconds)}`).join(', ');
        lines.push(
          `| ${rung.customers.toLocaleString('en-US')} | ${ref.variant} | ${s(ref.readSeconds)} | ${s(ref.factsSeconds)} | ${s(ref.analysisSeconds)} | ${s(ref.totalSeconds)} | ${ref.peakRssMiB} | ${speedups} | ${ref.agreement.summary} |`,
        );
      }
    }
  }
  const scaling = scalingExponents(rungs);
  if (scaling.length > 0) {
    lines.push('');
    lines.push('| engine | rungs | import exponent | customer_facts exponent | analyze exponent |');
    lines.push('|---|---|---:|---:|---:|');
    for (const x of scaling) lines.push(`| ${x.engine} | ${x.from.toLocaleString('en-US')} → ${x.to.toLocaleString('en-US')} | ${s(x.import)} | ${s(x.facts)} | ${s(x.analyze)} |`);
  }
  return `${lines.join('\n')}\n`;
}
