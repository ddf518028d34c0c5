/**
 * The simulated company behind `cxray simulate` and `cxray demo`: real-tool
 * exports of a fictional subscription business with planted structure, and
 * truth.json saying what was planted and what was realised.
 */
export { simulateCompany, interventionDate } from './simulate-company.js';
export type { SimulateOptions, SimulateSummary } from './options.js';
export { truthSchema, readTruth, type Truth } from './truth.js';
export { fileNames, HEADERS, SURVEY_HEADER_ROWS, TRUTH_FILE, type FileKey } from './files.js';
export { driverWeights, type DriverWeights } from './relative-weights.js';
export { companyCostsYaml } from './company-costs.js';
export { simulatedChange, simulatedExperimentYaml } from './owner-records.js';
