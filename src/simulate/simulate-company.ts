import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { QuarantineReason } from '../model/ledger.js';
import { SEGMENTS, drawAcquisition, isIdeal } from './acquisition.js';
import { arrivalDays, signupTimes } from './arrivals.js';
import { DAY_MS, addMonths, formatDate, parseIsoDate } from './calendar.js';
import { drawComment } from './comments.js';
import { PLATFORMS, TRAFFIC_SOURCES, newCustomer } from './customer-factory.js';
import { simulateLife, type EventDraft } from './customer-life.js';
import type { DefectContext } from './defects.js';
import { TRUTH_FILE, fileNames, type FileKey } from './files.js';
import { IdFactory } from './ids.js';
import { billingEmail } from './people.js';
import { resolveOptions, type SimulateOptions, type SimulateSummary } from './options.js';
import { PlantedOutput, type PlantLog } from './planted-output.js';
import { Rng } from './random.js';
import { RealisedAccumulator, type ResponseOutcome } from './realised-accumulator.js';
import { ReferrerPool } from './referrer-pool.js';
import {
  contactFields,
  eventFields,
  paymentFields,
  prospectFields,
  referralFields,
  subscriptionFields,
  surveyFields,
  ticketFields,
  ticketStatus,
  type SimCustomer,
} from './rows.js';
import { SatisfactionModel, npsClass, oneClassUp } from './satisfaction.js';
import { buildTruth } from './truth-builder.js';

/** Rows per customer, to spread planted rows over each file (a low estimate keeps them inside it). */
const ROWS_PER_CUSTOMER: Record<Exclude<FileKey, 'prospects' | 'comments'>, number> = {
  contacts: 1, payments: 18, subscriptions: 1, tickets: 3.6, survey: 0.75, events: 10, referrals: 0.2,
};
const DEFECTS: Partial<Record<FileKey, readonly QuarantineReason[]>> = {
  contacts: ['missing_value', 'conflicting_duplicate', 'wrong_column_count', 'bad_date'],
  payments: ['bad_date', 'not_a_number', 'wrong_column_count', 'negative_amount', 'unknown_customer', 'missing_value', 'conflicting_duplicate'],
  subscriptions: ['unknown_customer', 'bad_date'],
  tickets: ['bad_encoding', 'unknown_customer', 'bad_date', 'conflicting_duplicate', 'wrong_column_count'],
  survey: ['conflicting_duplicate', 'unknown_customer', 'bad_date', 'not_a_number', 'wrong_column_count'],
  events: ['missing_value', 'unknown_customer', 'wrong_column_count'],
  referrals: ['unknown_customer'],
};
const WITH_DUPLICATES: readonly FileKey[] = ['contacts', 'payments', 'tickets', 'events'];
const UNTERMINATED: Partial<Record<FileKey, string>> = { payments: 'Description', tickets: 'Subject' };

/** The planted intervention: +3 NPS points for Region = North from its date on. */
export const INTERVENTION = { name: 'North network upgrade', column: 'Region', region: 'North', effectPoints: 3 } as const;
const IP_PREFIXES = ['192.0.2', '198.51.100', '203.0.113'];
const REGION_COORDINATES: Record<string, [number, number]> = { North: [47.61, -122.33], South: [29.76, -95.37], East: [40.71, -74.01], West: [37.77, -122.42] };

/** First day of the month eight months before as_of's month (2025-10-01 for as_of 2026-06-30). */
export function interventionDate(asOf: string): string {
  const asOfMs = parseIsoDate(asOf);
  const monthStart = asOfMs - (new Date(asOfMs).getUTCDate() - 1) * DAY_MS;
  return formatDate(addMonths(monthStart, -8));
}

/**
 * Writes the simulated company's exports and truth.json to `outDir`.
 *
 * @example
 * const summary = await simulateCompany({ customers: 20_000, seed: 1, outDir: '/tmp/northwind' });
 * const truth = await readTruth(summary.truthPath);
 */
export async function simulateCompany(options: SimulateOptions): Promise<SimulateSummary> {
  const started = performance.now();
  const opts = resolveOptions(options);
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const endMs = parseIsoDate(opts.asOf) + DAY_MS;
  const startMs = addMonths(endMs, -opts.months);
  const names = fileNames(opts.asOf);
  const n = opts.customers;
  const mixShift = opts.shift.acquisitionMix;

  const root = Rng.fromSeed(opts.seed);
  const rng = root.fork();
  const arrivalsRng = root.fork();
  const plantRng = root.fork();
  const prospectRng = root.fork();
  const ids = new IdFactory(root.fork());
  let serial = 0;
  const context: DefectContext = { rng: plantRng, ids, serial: () => (serial += 1) };
  const log: PlantLog = { badRows: [], exactDuplicates: [], excluded: [] };
  const output = (key: FileKey, planted: boolean): PlantedOutput => {
    const reasons = DEFECTS[key] ?? [];
    const estimate = key in ROWS_PER_CUSTOMER ? n * (ROWS_PER_CUSTOMER[key as keyof typeof ROWS_PER_CUSTOMER] ?? 0) : 0;
    const plan = planted
      ? { rng: plantRng, estimatedRows: estimate, options: { reasons, duplicates: WITH_DUPLICATES.includes(key), previews: key === 'survey' } }
      : null;
    return new PlantedOutput(outDir, key, names[key], log, context, plan);
  };
  const out = {
    contacts: output('contacts', true),
    payments: output('payments', true),
    subscriptions: output('subscriptions', true),
    tickets: output('tickets', true),
    survey: output('survey', true),
    events: output('events', true),
    referrals: output('referrals', true),
    comments: output('comments', false),
  };
  const all = Object.values(out);

  const interventionMs = parseIsoDate(interventionDate(opts.asOf));
  const model = new SatisfactionModel();
  const pool = new ReferrerPool(n, SEGMENTS.length);
  const acc = new RealisedAccumulator(n, endMs, interventionMs, INTERVENTION.region);
  const progressStep = Math.max(1, Math.floor(n / 100));
  let interventionCredit = 0;
  let index = 0;

  const writeEvent = (c: SimCustomer, event: EventDraft): void => out.events.emit(eventFields(c, event, rng.int(0, 999_999)));

  const days = arrivalDays(startMs, endMs, n);
  for (const day of days) {
    for (const signupMs of signupTimes(arrivalsRng, day)) {
      const cohort = (signupMs - startMs) / (endMs - startMs);
      const made = newCustomer(rng, ids, pool, index, signupMs, cohort, day.quarterEnd, mixShift);
      const c = made.customer;
      const life = simulateLife(rng, signupMs, endMs, {
        ...c,
        treatment: c.experiment === 'treatment',
      });
      pool.add(index, made.segmentCode, signupMs, life.churnMs ?? Number.POSITIVE_INFINITY, c.shift, made.platformCode, made.sourceCode);

      out.contacts.emit(contactFields(c));
      for (const charge of life.charges) out.payments.emit(paymentFields(c, charge, ids.chargeId(), billingEmail(rng, c.person.email)));
      out.subscriptions.emit(subscriptionFields(c, life, ids.subscriptionId()));
      const ticketMinutes = life.tickets.map((ticket) => {
        const { status, minutes } = ticketStatus(rng, ticket, endMs);
        out.tickets.emit(ticketFields(c, ticket, { id: ids.ticketId(), status, minutes }));
        return minutes;
      });

      const responses: ResponseOutcome[] = [];
      for (const recordedMs of life.surveyTimes) {
        const answers = model.draw(rng, c.shift);
        const counterfactualNps = answers.nps;
        const treated = c.region === INTERVENTION.region && recordedMs >= interventionMs;
        if (treated) {
          // Error diffusion: exactly effectPoints% of treated responses move
          // one NPS class up, so the planted effect is realised, not only expected.
          interventionCredit += INTERVENTION.effectPoints / 100;
          if (interventionCredit >= 1 && answers.nps < 9) {
            answers.nps = oneClassUp(answers.nps);
            interventionCredit -= 1;
          }
        }
        const comment = drawComment(rng, npsClass(answers.nps), answers.ratings);
        // A response cannot start before the customer existed.
        const duration = Math.min(rng.int(60, 900), Math.max(1, Math.floor((recordedMs - signupMs) / 1000)));
        const [lat, lon] = REGION_COORDINATES[c.region] ?? [40, -100];
        const id = ids.responseId();
        out.survey.emit(
          surveyFields(c, {
            id,
            startMs: recordedMs - duration * 1000,
            durationSeconds: duration,
            ip: `${rng.pick(IP_PREFIXES)}.${rng.int(1, 254)}`,
            latitude: (lat + rng.float() - 0.5).toFixed(4),
            longitude: (lon + rng.float() - 0.5).toFixed(4),
            answers,
            comment,
          }),
        );
        if (comment !== null) out.comments.emit([id, comment.theme, comment.language]);
        responses.push({ recordedMs, nps: answers.nps, counterfactualNps, ratings: answers.ratings, csat: answers.csat, comment, treated });
      }

      for (const event of life.events) writeEvent(c, event);
      if (made.referrer >= 0) {
        const r = made.referrer;
        out.referrals.emit(referralFields(IdFactory.recordId(r), c));
        const referrerSignup = pool.signupMs[r] ?? 0;
        const sentAt = Math.max(referrerSignup + 3_600_000, signupMs - Math.floor(rng.float() * 10 * DAY_MS / 1000) * 1000 - 1000);
        const referrer = {
          ...c,
          recordId: IdFactory.recordId(r),
          pseudoId: IdFactory.pseudoId(r, referrerSignup),
          platform: PLATFORMS[pool.platform[r] ?? 0] ?? 'WEB',
          trafficSource: TRAFFIC_SOURCES[pool.source[r] ?? 0] ?? '(direct)',
        };
        writeEvent(referrer, { atMs: Math.min(sentAt, signupMs - 1000), name: 'referral_sent' });
        acc.addReferral(r, pool.segment[r] ?? 0, made.segmentCode);
      }
      acc.addCustomer({ customer: c, life, ticketMinutes, responses });

      index += 1;
      if (index % 64 === 0) for (const o of all) await o.writer.drain();
      if (opts.onProgress !== undefined && index % progressStep === 0) opts.onProgress(index, n);
    }
  }

  for (const [key, o] of Object.entries(out)) o.finish(UNTERMINATED[key as FileKey] ?? null);
  const prospects = new PlantedOutput(outDir, 'prospects', names.prospects, log, context, null);
  const prospectCount = Math.max(200, Math.round(n / 20));
  let prospectsIdeal = 0;
  for (let i = 1; i <= prospectCount; i += 1) {
    const a = drawAcquisition(prospectRng, 1, mixShift);
    if (isIdeal(a)) prospectsIdeal += 1;
    prospects.emit(prospectFields(i, a));
  }

  const files: SimulateSummary['files'] = {};
  for (const [key, o] of [...Object.entries(out), ['prospects', prospects] as const]) {
    const { rows, bytes } = await o.writer.close();
    files[key] = { path: o.writer.path, rows, bytes };
  }
  const outputs = { ...out, prospects };
  const truth = buildTruth({
    opts,
    startDate: formatDate(startMs),
    names,
    acc,
    days,
    outputs,
    log,
    interventionDate: interventionDate(opts.asOf),
    prospects: { count: prospectCount, matchingIdealProfile: prospectsIdeal },
  });
  const truthPath = join(outDir, TRUTH_FILE);
  await writeFile(truthPath, `${JSON.stringify(truth, null, 2)}\n`);
  opts.onProgress?.(n, n);
  return { outDir, files, truthPath, seconds: (performance.now() - started) / 1000 };
}
