import { COMPARED_ANALYSES } from './reference-compare.js';
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

/**
 * Each compared analysis on each engine (its own run, dependencies' Results
 * given) against its step in each reference variant, and the ratio: the
 * per-analysis view of the speed-up the analyze column gives in total.
 */
function analysisAgainstReference(rungs: readonly RungFigures[]): string[] {
  const lines: string[] = [];
  for (const rung of rungs) {
    if (rung.reference.length === 0) continue;
    if (lines.length === 0) {
      const engines = rung.engines.map((e) => `${e.engine} own s`);
      const variants = rung.reference.map((ref) => `${ref.variant} s`);
      const ratios = rung.reference.flatMap((ref) => rung.engines.map((e) => `${ref.variant} / ${e.engine}`));
      lines.push('', `| customers | analysis | ${[...engines, ...variants, ...ratios].join(' | ')} |`, `|---:|---|${[...engines, ...variants, ...ratios].map(() => '---:').join('|')}|`);
    }
    for (const name of COMPARED_ANALYSES) {
      const own = rung.engines.map((e) => e.analyses.find((a) => a.name === name)?.ownSeconds ?? NaN);
      const steps = rung.reference.map((ref) => ref.steps?.[name] ?? NaN);
      const ratios = steps.flatMap((step) => own.map((o) => step / o));
      lines.push(`| ${rung.customers.toLocaleString('en-US')} | ${name} | ${[...own.map(s), ...steps.map(s), ...ratios.map(r)].join(' | ')} |`);
    }
  }
  return lines;
}

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
  lines.push('| customers | engine | analysis | status | s (with dependencies) | own s | statements | floor s | vs floor |');
  lines.push('|---:|---|---|---|---:|---:|---:|---:|---:|');
  for (const rung of rungs) {
    for (const e of rung.engines) {
      for (const a of e.analyses) {
        // Figures from before own time was measured have none: shown as a dash.
        const own = a.ownSeconds ?? NaN;
        lines.push(`| ${rung.customers.toLocaleString('en-US')} | ${e.engine} | ${a.name} | ${a.status} | ${s(a.seconds)} | ${s(own)} | ${a.statements} | ${s(a.floorSeconds)} | ${r(a.ratioToFloor)} |`);
      }
    }
  }
  const scoring = rungs.flatMap((rung) => rung.engines.flatMap((e) => (e.scoring ?? []).map((x) => ({ rung, engine: e.engine, x }))));
  if (scoring.length > 0) {
    lines.push('');
    lines.push('| customers | engine | command | status | s | rows | detail |');
    lines.push('|---:|---|---|---|---:|---:|---|');
    for (const { rung, engine, x } of scoring) {
      lines.push(`| ${rung.customers.toLocaleString('en-US')} | ${engine} | ${x.command} | ${x.status} | ${s(x.seconds)} | ${x.rows.toLocaleString('en-US')} | ${x.detail.replaceAll('|', '/')} |`);
    }
  }
  lines.push(...analysisAgainstReference(rungs));
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
