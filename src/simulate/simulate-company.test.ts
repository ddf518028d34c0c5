import { mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { readRecords } from './file-checks.case.js';
import { HEADERS, SURVEY_HEADER_ROWS, type FileKey } from './files.js';
import { simulateCompany, type SimulateSummary } from './index.js';
import { readTruth, truthSchema } from './truth.js';

const CUSTOMERS = 3_000;
let root: string;
let first: SimulateSummary;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cxray-sim-'));
  first = await simulateCompany({ customers: CUSTOMERS, seed: 42, outDir: join(root, 'a') });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function firstLine(path: string): Promise<string> {
  const handle = await open(path);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
  } finally {
    await handle.close();
  }
}

async function contents(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) out.set(name, await readFile(join(dir, name)));
  return out;
}

describe('simulateCompany', () => {
  it('is deterministic: the same seed gives byte-identical files, another seed different ones', async () => {
    await simulateCompany({ customers: CUSTOMERS, seed: 42, outDir: join(root, 'b') });
    await simulateCompany({ customers: CUSTOMERS, seed: 43, outDir: join(root, 'c') });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => contents(join(root, d))));
    expect([...(a?.keys() ?? [])]).toHaveLength(10);
    for (const [name, bytes] of a ?? []) {
      expect(b?.get(name)?.equals(bytes), name).toBe(true);
      expect(c?.get(name)?.equals(bytes), name).toBe(false);
    }
  });

  it('writes the exact headers documented in docs/simulated-company.md', async () => {
    const docs = await readFile(new URL('../../docs/simulated-company.md', import.meta.url), 'utf8');
    const documented = (label: string): string => {
      const match = new RegExp(`^- ${label}: (?:row 1 )?\`([^\`]+)\``, 'm').exec(docs);
      if (match === null) throw new Error(`no documented header for ${label}`);
      return match[1] ?? '';
    };
    const truth = await readTruth(first.truthPath);
    const labels: Record<Exclude<FileKey, 'survey'>, string> = {
      contacts: 'contacts', payments: 'payments', subscriptions: 'subscriptions', tickets: 'tickets',
      events: 'events', referrals: 'referrals', prospects: 'prospects', comments: 'truth-comments',
    };
    for (const [key, label] of Object.entries(labels)) {
      const header = await firstLine(join(first.outDir, truth.files[key] ?? ''));
      expect(header, key).toBe(documented(label));
      expect(header, key).toBe(HEADERS[key as keyof typeof HEADERS].join(','));
    }
    const survey = readRecords(join(first.outDir, truth.files['survey'] ?? '')).slice(0, 3);
    expect(survey[0]?.fields.join(',')).toBe(documented('survey'));
    expect(survey.slice(0, 3).map((r) => r.fields)).toEqual(SURVEY_HEADER_ROWS);
    expect(survey[1]?.fields[17]).toBe('How likely are you to recommend Northwind to a friend or colleague?');
    expect(survey[1]?.fields[19]).toBe('Please rate - Billing and payments');
    expect(survey[2]?.fields[0]).toBe('{"ImportId":"startDate","timeZone":"UTC"}');
    expect(truth.files['contacts']).toBe('hubspot-crm-exports-all-contacts-2026-06-30.csv');
    for (const { file, column } of truth.pii) {
      const header = (await firstLine(join(first.outDir, file))).split(',');
      expect(header, `${file} ${column}`).toContain(column);
    }
  });

  it('reports consistent row counts in the summary and truth.json', async () => {
    const truth = await readTruth(first.truthPath);
    expect(truth.customers).toBe(CUSTOMERS);
    expect(truth.startDate).toBe('2023-07-01');
    for (const [key, file] of Object.entries(first.files)) {
      const rows = truth.rows[key];
      expect(rows?.dataRows, key).toBe(file.rows);
      const records = readRecords(file.path).length - (key === 'survey' ? 3 : 1);
      expect(records, key).toBe(file.rows);
      expect((await readFile(file.path)).length, key).toBe(file.bytes);
    }
    expect(truth.rows['contacts']?.clean).toBe(CUSTOMERS);
    expect(truth.rows['subscriptions']?.clean).toBe(CUSTOMERS);
    expect(truth.rows['referrals']?.clean).toBe(truth.referrals.realised.pairs);
    expect(truth.rows['comments']?.dataRows).toBe(truth.comments.realised.comments);
    expect(truth.rows['survey']?.clean).toBe(truth.drivers.realised.responses);
    expect(truth.rows['prospects']?.dataRows).toBe(200);
    const perCustomer = (key: string): number => (truth.rows[key]?.clean ?? 0) / CUSTOMERS;
    expect(perCustomer('payments')).toBeGreaterThan(15);
    expect(perCustomer('tickets')).toBeGreaterThan(3);
    expect(perCustomer('survey')).toBeGreaterThan(0.6);
    expect(perCustomer('events')).toBeGreaterThan(8);
  });

  it('handles a tiny company: no planted rows in files under 50 rows, truth still valid', async () => {
    const progress: number[] = [];
    const summary = await simulateCompany({ customers: 30, seed: 1, outDir: join(root, 'tiny'), onProgress: (done) => progress.push(done) });
    const truth = await readTruth(summary.truthPath);
    expect(truth.rows['contacts']).toEqual({ dataRows: 30, clean: 30, bad: 0, exactDuplicates: 0, excluded: 0 });
    expect(truth.badRows.every((b) => b.file !== truth.files['contacts'])).toBe(true);
    expect(progress.at(-1)).toBe(30);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it('moves the acquisition mix from referral to paid search when asked', async () => {
    const summary = await simulateCompany({ customers: CUSTOMERS, seed: 42, outDir: join(root, 'shift'), shift: { acquisitionMix: 0.1 } });
    const shifted = await readTruth(summary.truthPath);
    const base = await readTruth(first.truthPath);
    expect(shifted.shift.acquisitionMix).toBe(0.1);
    const share = (t: typeof base, channel: string): number =>
      t.acquisitionDrift.realised.byQuarter.reduce((s, q) => s + (q.channelShares[channel] ?? 0) * q.customers, 0) / t.customers;
    expect(share(shifted, 'paid search') - share(base, 'paid search')).toBeGreaterThan(0.07);
    expect(share(base, 'referral') - share(shifted, 'referral')).toBeGreaterThan(0.07);
    expect(shifted.idealSegment.realised.ideal.share).toBeLessThan(base.idealSegment.realised.ideal.share);
  });

  it('rejects invalid options with a UserError', async () => {
    await expect(simulateCompany({ customers: 0, seed: 1, outDir: root })).rejects.toBeInstanceOf(UserError);
    await expect(simulateCompany({ customers: 10, seed: -1, outDir: root })).rejects.toMatchObject({ code: 'simulate_options_invalid' });
    await expect(simulateCompany({ customers: 10, seed: 1, outDir: root, asOf: '2026-02-30' })).rejects.toMatchObject({ code: 'simulate_options_invalid' });
  });
});

describe('readTruth', () => {
  it('validates truth.json and explains missing or foreign files', async () => {
    const text = await readFile(first.truthPath, 'utf8');
    expect(truthSchema.safeParse(JSON.parse(text)).success).toBe(true);
    await expect(readTruth(join(root, 'nope.json'))).rejects.toMatchObject({ code: 'truth_missing' });
    await writeFile(join(root, 'bad.json'), '{"schemaVersion": 2}');
    await expect(readTruth(join(root, 'bad.json'))).rejects.toMatchObject({ code: 'truth_invalid' });
    await writeFile(join(root, 'broken.json'), '{');
    await expect(readTruth(join(root, 'broken.json'))).rejects.toMatchObject({ code: 'truth_invalid' });
  });
});
