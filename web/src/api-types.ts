import type { z } from 'zod';
import type { Chart, Finding, Interval, Result, ResultTable } from '../../src/analysis/result.js';
import type { analysesSchema, customerDetailSchema, customerPageSchema, customerRowSchema, segmentsSchema, whatIfAnswerSchema } from '../../src/server/api-schemas.js';
import type { Problem } from '../../src/server/problems.js';

/**
 * The API's bodies as the server declares them (src/server/api-schemas.ts,
 * src/analysis/result.ts), imported as types only: nothing of the server is
 * bundled, and a changed schema breaks this build instead of the page.
 */
export type { Chart, Finding, Interval, Problem, Result, ResultTable };
export type Analyses = z.infer<typeof analysesSchema>;
export type Segments = z.infer<typeof segmentsSchema>;
export type CustomerPage = z.infer<typeof customerPageSchema>;
export type CustomerRow = z.infer<typeof customerRowSchema>;
export type CustomerDetail = z.infer<typeof customerDetailSchema>;
export type WhatIfAnswer = z.infer<typeof whatIfAnswerSchema>;
