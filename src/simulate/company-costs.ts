import { HANDLING_COST_PER_MINUTE } from './support.js';

/**
 * What the simulated company knows of its own costs and a real company would
 * write into cxray.yaml by hand (no export carries it): what an agent-minute
 * of support costs. The savings of behaviours are not here: cxray estimates
 * them from the tickets.
 */
export function companyCostsYaml(): string {
  return `\n# the company's cost of one agent-minute of support (from its own accounts; no export carries it)\nhandling_cost_per_minute: {default: ${HANDLING_COST_PER_MINUTE}}\n`;
}
