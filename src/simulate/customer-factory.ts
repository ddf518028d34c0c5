import { SEGMENTS, drawAcquisition, isIdeal, isMisaligned, type Channel } from './acquisition.js';
import { IdFactory } from './ids.js';
import { CONTACT_OWNERS, drawPerson } from './people.js';
import type { Rng } from './random.js';
import { SAME_SEGMENT_PROBABILITY, type ReferrerPool } from './referrer-pool.js';
import type { SimCustomer } from './rows.js';
import { SATISFACTION_SHIFTS } from './satisfaction.js';

/**
 * Builds one new customer: acquisition attributes for its cohort, a person,
 * behaviours (drawn independently of everything else, so adopters and
 * non-adopters differ only by what the behaviour does), the latent
 * satisfaction shift, and for referred customers the referrer.
 */
export const ADOPTION = { autopay: 0.45, paperless: 0.5, selfService: 0.35, overageProne: 0.2 } as const;

export const PLATFORMS = ['WEB', 'ANDROID', 'IOS'] as const;
const PLATFORM_WEIGHTS = [0.5, 0.3, 0.2];
export const TRAFFIC_SOURCES = ['referral', 'google', 'bing', '(direct)', 'partner-portal', 'newsletter'] as const;

function trafficSource(rng: Rng, channel: Channel): number {
  switch (channel) {
    case 'referral':
      return 0;
    case 'paid search':
      return rng.chance(0.85) ? 1 : 2;
    case 'organic':
      return rng.weighted([0, 0.6, 0.15, 0.25]);
    case 'partner':
      return 4;
    case 'outbound':
      return rng.chance(0.5) ? 3 : 5;
  }
}

export interface NewCustomer {
  customer: SimCustomer;
  referrer: number;
  platformCode: number;
  sourceCode: number;
  segmentCode: number;
}

export function newCustomer(
  rng: Rng,
  ids: IdFactory,
  pool: ReferrerPool,
  index: number,
  signupMs: number,
  cohort: number,
  quarterEnd: boolean,
  acquisitionMixShift: number,
): NewCustomer {
  const acquisition = drawAcquisition(rng, cohort, acquisitionMixShift);
  const segmentCode = SEGMENTS.indexOf(acquisition.segment);
  let referrer = -1;
  if (acquisition.channel === 'referral') {
    referrer = pool.pick(rng, rng.chance(SAME_SEGMENT_PROBABILITY) ? segmentCode : null, signupMs);
    if (referrer < 0) referrer = pool.pick(rng, null, signupMs);
    // The first days of the business have nobody to refer anyone.
    if (referrer < 0) acquisition.channel = 'organic';
  }
  const person = drawPerson(rng, index + 1);
  const autopay = rng.chance(ADOPTION.autopay);
  const paperless = rng.chance(ADOPTION.paperless);
  const selfService = rng.chance(ADOPTION.selfService);
  const overageProne = rng.chance(ADOPTION.overageProne);
  const ideal = isIdeal(acquisition);
  const misaligned = isMisaligned(acquisition);
  const s = SATISFACTION_SHIFTS;
  const shift =
    (ideal ? s.ideal : 0) +
    (misaligned ? s.misaligned : 0) +
    (selfService ? s.selfService : 0) +
    (autopay ? s.autopay : 0) +
    (paperless ? s.paperless : 0) +
    (overageProne ? s.overageProne : 0) +
    s.personalSd * rng.normal();
  const platformCode = rng.weighted(PLATFORM_WEIGHTS);
  const sourceCode = trafficSource(rng, acquisition.channel);
  const customer: SimCustomer = {
    ...acquisition,
    index,
    recordId: IdFactory.recordId(index),
    stripeId: ids.stripeCustomerId(index),
    requesterId: IdFactory.requesterId(index),
    pseudoId: IdFactory.pseudoId(index, signupMs),
    person,
    owner: rng.pick(CONTACT_OWNERS),
    signupMs,
    ideal,
    misaligned,
    quarterEnd,
    autopay,
    paperless,
    selfService,
    overageProne,
    shift,
    platform: PLATFORMS[platformCode] ?? 'WEB',
    trafficSource: TRAFFIC_SOURCES[sourceCode] ?? '(direct)',
  };
  return { customer, referrer, platformCode, sourceCode, segmentCode };
}
