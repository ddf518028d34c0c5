import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { Rng } from './random.js';

/**
 * The satisfaction model behind the survey. Each response draws latent area
 * experiences z ~ N(0, R) (R planted), rated 1-5 per area; the latent
 * recommendation is y = β'z + u + ε, where β are the planted standardized
 * weights, u the customer's shift (ideal, misaligned, behaviours, the unfair
 * fee, a persistent personal level) and ε noise sized so that Var(y) = 1 and
 * R² = β'Rβ is the planted value. NPS (0-10) and CSAT (1-5) are read off y.
 */
export const AREAS = [
  { key: 'network', label: 'Network coverage and reliability', offset: 0.55 },
  { key: 'billing', label: 'Billing and payments', offset: -0.8 },
  { key: 'support', label: 'Customer support', offset: 0.35 },
  { key: 'app', label: 'Mobile app and website', offset: 0.45 },
  { key: 'price', label: 'Price and value', offset: 0.15 },
  { key: 'store', label: 'Stores and staff', offset: 0.75 },
  { key: 'onboarding', label: 'Getting started', offset: 0.6 },
  { key: 'communication', label: 'Communication and offers', offset: 0.4 },
] as const;

export type AreaKey = (typeof AREAS)[number]['key'];
export const WEAK_AREA: AreaKey = 'billing';

/** How much a latent standard deviation moves a 1-5 rating. */
const RATING_SCALE = 0.95;
export const NPS_CENTER = 7.35;
export const NPS_SCALE = 2.1;
export const PLANTED_R_SQUARED = 0.55;

const BASE_CORRELATION = 0.3;
const PAIR_CORRELATIONS: readonly [AreaKey, AreaKey, number][] = [
  ['support', 'store', 0.5],
  ['billing', 'price', 0.45],
  ['app', 'onboarding', 0.45],
  ['network', 'app', 0.35],
  ['support', 'communication', 0.4],
  ['billing', 'support', 0.38],
];
const RAW_WEIGHTS: Record<AreaKey, number> = {
  network: 0.32,
  billing: 0.16,
  support: 0.26,
  app: 0.14,
  price: 0.22,
  store: 0.05,
  onboarding: 0.09,
  communication: 0.04,
};

/** Shifts of the latent recommendation y (in standard deviations of y). */
export const SATISFACTION_SHIFTS = {
  ideal: 0.5,
  misaligned: -0.65,
  selfService: 0.3,
  autopay: 0,
  paperless: 0,
  /** The unfair fee: customers prone to overage charges are far less happy. */
  overageProne: -0.6,
  personalSd: 0.3,
} as const;

/** Approximate population shares used to size the noise (the realised shares are in truth.json). */
export const SHIFT_SHARES = { ideal: 0.08, misaligned: 0.035, selfService: 0.35, overageProne: 0.2 } as const;

const keyIndex = (key: AreaKey): number => AREAS.findIndex((area) => area.key === key);

export function plantedCorrelation(): number[][] {
  const n = AREAS.length;
  const r: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : BASE_CORRELATION)));
  for (const [a, b, value] of PAIR_CORRELATIONS) {
    const i = keyIndex(a);
    const j = keyIndex(b);
    const rowI = r[i];
    const rowJ = r[j];
    if (rowI === undefined || rowJ === undefined) throw new Error('unknown area');
    rowI[j] = value;
    rowJ[i] = value;
  }
  return r;
}

/** Standardized weights β, scaled so that β'Rβ = PLANTED_R_SQUARED. */
export function plantedWeights(): number[] {
  const r = plantedCorrelation();
  const raw = AREAS.map((area) => RAW_WEIGHTS[area.key]);
  let quadratic = 0;
  for (let i = 0; i < raw.length; i += 1) for (let j = 0; j < raw.length; j += 1) quadratic += (raw[i] ?? 0) * (r[i]?.[j] ?? 0) * (raw[j] ?? 0);
  const scale = Math.sqrt(PLANTED_R_SQUARED / quadratic);
  return raw.map((w) => w * scale);
}

/** The variance of u implied by the planted shifts and shares. */
export function plantedShiftVariance(): number {
  const s = SATISFACTION_SHIFTS;
  const p = SHIFT_SHARES;
  const meanProfile = p.ideal * s.ideal + p.misaligned * s.misaligned;
  const profile = p.ideal * s.ideal ** 2 + p.misaligned * s.misaligned ** 2 - meanProfile ** 2;
  const bernoulli = (share: number, shift: number): number => share * (1 - share) * shift ** 2;
  return profile + bernoulli(p.selfService, s.selfService) + bernoulli(p.overageProne, s.overageProne) + s.personalSd ** 2;
}

export interface SurveyAnswers {
  ratings: number[];
  nps: number;
  csat: number;
}

/** Draws survey answers; one instance per run (holds the Cholesky factor). */
export class SatisfactionModel {
  readonly correlation = plantedCorrelation();
  readonly weights = plantedWeights();
  readonly noiseSd: number;
  private readonly cholesky: number[][];
  private readonly n = new Array<number>(AREAS.length).fill(0);

  constructor() {
    const decomposition = new CholeskyDecomposition(new Matrix(this.correlation));
    if (!decomposition.isPositiveDefinite()) throw new Error('planted area correlation matrix is not positive definite');
    this.cholesky = decomposition.lowerTriangularMatrix.to2DArray();
    const residual = 1 - PLANTED_R_SQUARED - plantedShiftVariance();
    if (residual <= 0) throw new Error('planted shifts leave no room for noise');
    this.noiseSd = Math.sqrt(residual);
  }

  /** Answers for one response of a customer whose shift is `shift`. */
  draw(rng: Rng, shift: number): SurveyAnswers {
    const p = AREAS.length;
    for (let i = 0; i < p; i += 1) this.n[i] = rng.normal();
    let y = shift + this.noiseSd * rng.normal();
    const ratings: number[] = [];
    for (let i = 0; i < p; i += 1) {
      const row = this.cholesky[i] ?? [];
      let zi = 0;
      for (let k = 0; k <= i; k += 1) zi += (row[k] ?? 0) * (this.n[k] ?? 0);
      y += (this.weights[i] ?? 0) * zi;
      const offset = AREAS[i]?.offset ?? 0;
      ratings.push(clamp(Math.round(3 + offset + RATING_SCALE * zi), 1, 5));
    }
    const nps = clamp(Math.round(NPS_CENTER + NPS_SCALE * y), 0, 10);
    const csat = clamp(Math.round(3.55 + 0.95 * (0.8 * y + 0.6 * rng.normal())), 1, 5);
    return { ratings, nps, csat };
  }
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

export type NpsClass = 'detractor' | 'passive' | 'promoter';

export function npsClass(answer: number): NpsClass {
  return answer >= 9 ? 'promoter' : answer >= 7 ? 'passive' : 'detractor';
}

/** One class up (the intervention's unit of effect): detractor -> 7, passive -> 9. */
export function oneClassUp(answer: number): number {
  return answer <= 6 ? 7 : answer <= 8 ? 9 : answer;
}
