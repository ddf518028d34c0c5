// Writes docs/result.schema.json from the zod Result types.
// Run after changing src/analysis/result.ts: npx tsx scripts/write-result-schema.ts
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resultJsonSchemaText } from '../src/analysis/result-json-schema.js';

const target = resolve(import.meta.dirname, '..', 'docs', 'result.schema.json');
writeFileSync(target, resultJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
