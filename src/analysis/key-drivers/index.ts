import type { Analysis } from '../types.js';
import { runKeyDrivers } from './run-key-drivers.js';

/** `key-drivers`: what drives satisfaction and retention, and the importance x performance of the experience areas. */
export const keyDriversAnalysis: Analysis = {
  name: 'key-drivers',
  title: 'Key drivers',
  description: 'Which experience areas drive satisfaction and retention (relative weights with intervals), and which area to fix first.',
  needs: ['customers', 'survey_responses'],
  needsColumns: ['customer_id'],
  dependsOn: [],
  implemented: true,
  revision: 2,
  run: (ctx) => runKeyDrivers(ctx, keyDriversAnalysis),
};
