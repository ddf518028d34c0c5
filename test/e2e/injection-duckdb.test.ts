import { describeInjection } from '../helpers/injection-suite.js';

// Hostile text through files, cxray.yaml, every API parameter and CLI flags, on DuckDB (test/helpers/injection-suite.ts).
describeInjection('duckdb');
