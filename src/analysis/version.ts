import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The cxray package version, recorded in every Result's provenance. */
export const CXRAY_VERSION: string = (require('../../package.json') as { version: string }).version;

/** Seed of any resampling an analysis does; fixed, so that results are reproducible. */
export const ANALYSIS_SEED = 20240601;
