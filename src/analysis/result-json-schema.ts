import { z } from 'zod';
import { resultSchema } from './result.js';

export const RESULT_SCHEMA_ID = 'https://github.com/cxray/cxray/docs/result.schema.json';

/**
 * The JSON Schema (draft 2020-12) of a Result, generated from the zod types,
 * as committed in docs/result.schema.json. Cross-field rules (row length,
 * a reason for skipped results) live in the zod refinements only.
 */
export function resultJsonSchemaText(): string {
  const schema = z.toJSONSchema(resultSchema, { target: 'draft-2020-12', io: 'output' });
  return `${JSON.stringify({ ...schema, $id: RESULT_SCHEMA_ID, title: 'cxray analysis Result' }, null, 2)}\n`;
}
