import { snakeName } from '../init/names.js';
import type { Truth } from './truth.js';

/*
 * What the simulated company's owner would write down about it, besides the
 * exports: the A/B test it ran on an attribute of its customers
 * (truth.json `experiment`), declared in cxray.yaml, and the change it made
 * (truth.json `intervention`), recorded as `cxray changes add` does. The
 * demo, the bench and the tests record both the same way, from here.
 */

/** The `experiments:` block of cxray.yaml declaring the simulated A/B test (names as `cxray init` writes them). */
export function simulatedExperimentYaml(truth: Truth): string {
  const e = truth.experiment;
  return (
    `\n# the simulated company's A/B test (truth.json experiment): the changes analysis reads it out\n` +
    `experiments:\n  ${snakeName(e.name)}: {label: ${JSON.stringify(e.name)}, attribute: ${snakeName(e.column)}, control: ${JSON.stringify(e.control)}, treatment: ${JSON.stringify(e.treatment)}}\n`
  );
}

/** The simulated intervention as `cxray changes add` takes it: its name, date and segment rule. */
export function simulatedChange(truth: Truth): { name: string; date: string; segment: string; description: string } {
  const iv = truth.intervention;
  return {
    name: iv.name,
    date: iv.date,
    segment: `${snakeName(iv.segment.column)} = '${iv.segment.value}'`,
    description: 'The simulated company made this change in this segment (truth.json intervention).',
  };
}
