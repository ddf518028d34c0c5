import { z } from 'zod';
import { UserError } from '../errors.js';
import { parseIsoDate } from './calendar.js';

/**
 * Options of `simulateCompany`.
 *
 * @example
 * await simulateCompany({ customers: 20_000, seed: 7, outDir: 'demo' });
 */
export interface SimulateOptions {
  customers: number;
  seed: number;
  outDir: string;
  /** Last day of the history, YYYY-MM-DD (default '2026-06-30'). */
  asOf?: string;
  /** Length of the history in months (default 36). */
  months?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * A planted shift for "what changed" tests: `acquisitionMix` moves that
   * fraction of new customers (e.g. 0.1 = 10 percentage points) from the
   * referral channel to paid search, in every cohort.
   */
  shift?: { acquisitionMix?: number };
}

export interface SimulateSummary {
  outDir: string;
  /** Per file key (contacts, payments, ...): path, data rows written (planted rows included) and bytes. */
  files: Record<string, { path: string; rows: number; bytes: number }>;
  truthPath: string;
  seconds: number;
}

const optionsSchema = z.object({
  customers: z.number().int().min(1).max(50_000_000),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  outDir: z.string().min(1),
  asOf: z
    .string()
    .refine((text) => !Number.isNaN(parseIsoDate(text)), 'a real date written YYYY-MM-DD')
    .default('2026-06-30'),
  months: z.number().int().min(12).max(120).default(36),
  shift: z.object({ acquisitionMix: z.number().min(-0.5).max(0.5).default(0) }).default({ acquisitionMix: 0 }),
});

export type ResolvedOptions = z.infer<typeof optionsSchema> & { onProgress?: SimulateOptions['onProgress'] };

export function resolveOptions(options: SimulateOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse({ ...options, onProgress: undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? 'options';
    throw new UserError('simulate_options_invalid', `Invalid simulate option ${field}: ${issue?.message ?? 'invalid'}.`, {
      hint: 'Use --customers N (a positive integer), --seed S (a non-negative integer), --out DIR, and dates as YYYY-MM-DD.',
    });
  }
  return options.onProgress === undefined ? parsed.data : { ...parsed.data, onProgress: options.onProgress };
}
