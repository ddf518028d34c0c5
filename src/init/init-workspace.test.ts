import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { CxrayConfig, Feed, Source } from '../config/schema.js';
import { UserError } from '../errors.js';
import { itNeeds } from '../../test/helpers/strict.js';
import { Workspace } from '../workspace/workspace.js';
import { initWorkspace } from './init-workspace.js';
import { headerKey } from './names.js';

const EXPORTS = fileURLToPath(new URL('../../test/fixtures/exports/', import.meta.url));
const COMPANY = join(EXPORTS, 'simulated-company');
const TELCO = fileURLToPath(new URL('../../test/fixtures/telco-classic/WA_Fn-UseC_-Telco-Customer-Churn.csv', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxray-init-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const feedsOf = (source: Source | undefined, table: string): Feed[] => (source?.feeds ?? []).filter((f) => f.table === table);
const columnOf = (spec: unknown): unknown => (typeof spec === 'string' ? spec : (spec as { column?: unknown } | undefined)?.column);

/** Every source column a config names, so a test can check they all exist in the file. */
function referencedColumns(source: Source): string[] {
  const out: string[] = [...(source.row_key ?? []), ...Object.keys(source.pii ?? {})];
  const add = (spec: unknown): void => {
    const c = columnOf(spec);
    if (typeof c === 'string') out.push(c);
    const m = (spec as { multiply_by?: unknown } | undefined)?.multiply_by;
    if (typeof m === 'string') out.push(m);
  };
  for (const feed of source.feeds) {
    Object.values(feed.columns).forEach(add);
    Object.values(feed.keys ?? {}).forEach(add);
    Object.values(feed.attributes ?? {}).forEach(add);
    out.push(...Object.keys(feed.unpivot ?? {}), ...(feed.where ?? []).map((w) => w.column));
  }
  return out;
}

async function headerOf(path: string): Promise<Set<string>> {
  const first = (await readFile(path, 'utf8')).split('\n')[0] ?? '';
  return new Set(first.replace(/^\uFEFF/, '').split(',').map((h) => headerKey(h.replace(/^"|"$/g, ''))));
}

const withTelco = itNeeds(existsSync(TELCO), 'the IBM Telco churn fixture', 'It ships in test/fixtures/telco-classic/.');

describe('initWorkspace on the Telco churn data', () => {
  withTelco('writes a working customers + churn config with typed attributes and behaviours', async () => {
    const result = await initWorkspace({ dir, from: [TELCO] });
    expect(result.configPath).toBe(join(dir, 'cxray.yaml'));
    const { config } = await loadConfig(dir);
    const source = Object.values(config.sources)[0];
    expect(source?.tool).toBe('telco');
    const [customers] = feedsOf(source, 'customers');
    expect(customers?.columns['customer_id']).toBe('customerID');
    expect(customers?.columns['signup_at']).toEqual({ column: 'tenure', months_before_as_of: true });
    const attributes = customers?.attributes ?? {};
    // Every column but the id is an attribute (tenure too), 20 in all.
    expect(Object.keys(attributes)).toHaveLength(20);
    expect(attributes['senior_citizen']).toMatchObject({ column: 'SeniorCitizen', type: 'boolean', map: { '0': false, '1': true } });
    for (const yesNo of ['partner', 'dependents', 'phone_service', 'paperless_billing', 'churn']) {
      expect(attributes[yesNo], yesNo).toMatchObject({ type: 'boolean', map: { Yes: true, No: false } });
    }
    expect(attributes['online_security']).toMatchObject({ type: 'boolean', map: { 'No internet service': false } });
    expect(attributes['tenure']).toMatchObject({ column: 'tenure', type: 'integer' });
    expect(attributes['monthly_charges']).toMatchObject({ column: 'MonthlyCharges', type: 'money' });
    expect(attributes['total_charges']).toMatchObject({ column: 'TotalCharges', type: 'money' });
    expect(attributes['contract']).toMatchObject({ column: 'Contract', at_acquisition: true });
    // TotalCharges is " " for the 11 tenure-0 customers: read as NULL, not as a bad number.
    expect(source?.csv.null_values).toContain(' ');

    const [churn] = feedsOf(source, 'status_changes');
    expect(churn?.columns).toEqual({ customer_id: 'customerID', at: { value: '$as_of' }, status: { value: 'churned' } });
    expect(churn?.where).toEqual([{ column: 'Churn', in: ['Yes'] }]);

    expect(config.behaviours['paperless_billing']).toMatchObject({ attribute: 'paperless_billing', values: [true] });
    expect(config.behaviours['autopay']).toMatchObject({ attribute: 'payment_method' });
    expect([...(config.behaviours['autopay']?.values ?? [])].sort()).toEqual(['Bank transfer (automatic)', 'Credit card (automatic)']);
    expect(config.segments['contract']).toEqual({ attribute: 'contract' });

    const header = await headerOf(TELCO);
    for (const c of referencedColumns(source as Source)) expect(header.has(headerKey(c)), c).toBe(true);
  });
});

describe('initWorkspace on the simulated company exports', () => {
  let config: CxrayConfig;
  let text: string;
  let result: Awaited<ReturnType<typeof initWorkspace>>;
  beforeEach(async () => {
    result = await initWorkspace({ dir, from: [COMPANY] });
    ({ config, text } = await loadConfig(dir));
  });
  const source = (tool: string): Source | undefined => Object.values(config.sources).find((s) => s.tool === tool);

  it('recognises each export and leaves the prospect list out', () => {
    expect(result.sources.map((s) => s.tool).sort()).toEqual(
      ['ga4', 'generic-referrals', 'hubspot-contacts', 'qualtrics', 'stripe-payments', 'stripe-subscriptions', 'zendesk'].sort(),
    );
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]?.file).toMatch(/prospects\.csv$/);
    expect(result.skipped[0]?.why).toContain('cxray score-prospects');
    expect(text).toMatch(/^# .*prospects\.csv: .*score-prospects/m);
    expect(config.as_of).toBe('2026-06-30');
    expect(config.currency).toBe('USD');
  });

  it('keys contacts by Record ID with an e-mail key and acquisition attributes', () => {
    const [customers] = feedsOf(source('hubspot-contacts'), 'customers');
    expect(customers?.columns['customer_id']).toBe('Record ID');
    expect(customers?.columns['signup_at']).toEqual({ column: 'Create Date', format: 'iso' });
    expect(customers?.keys).toEqual({ email: 'Email' });
    expect(customers?.attributes?.['segment']).toMatchObject({ column: 'Segment', at_acquisition: true });
    expect(customers?.attributes?.['age']).toMatchObject({ type: 'integer', at_acquisition: true });
    expect(customers?.attributes?.['first_name']).toBeUndefined();
    expect(source('hubspot-contacts')?.pii).toEqual({ 'First Name': 'drop', 'Last Name': 'drop', Email: 'hash', 'Phone Number': 'drop' });
    expect(Object.keys(config.segments).sort()).toEqual(['acquisition_channel', 'age_band', 'contract_type', 'plan', 'region', 'segment']);
  });

  it('joins payments by e-mail, reads kinds from charge_type and refunds from Amount Refunded', () => {
    const [charges, refunds] = feedsOf(source('stripe-payments'), 'transactions');
    expect(charges?.columns['customer_id']).toEqual({ column: 'Customer Email', via: 'email' });
    expect(charges?.columns['kind']).toMatchObject({
      column: 'charge_type (metadata)',
      map: { subscription: 'purchase', one_off: 'purchase', late_fee: 'fee', paper_bill_fee: 'fee', overage_fee: 'fee', credit: 'credit' },
    });
    expect(charges?.columns['category']).toBe('charge_type (metadata)');
    expect(charges?.columns['product']).toBe('product (metadata)');
    expect(charges?.columns['at']).toEqual({ column: 'Created date (UTC)', format: 'iso' });
    expect(refunds?.columns['kind']).toEqual({ value: 'refund' });
    expect(refunds?.columns['amount']).toBe('Amount Refunded');
    expect(refunds?.where).toContainEqual({ column: 'Amount Refunded', gt: 0 });
    expect(Object.keys(config.fees).sort()).toEqual(['late_fee', 'overage_fee', 'paper_bill_fee']);
    // The processor's Fee column is not a customer fee.
    expect(JSON.stringify(source('stripe-payments')?.feeds)).not.toContain('"Fee"');
  });

  it('turns subscriptions into active and churned status changes', () => {
    const [active, churned] = feedsOf(source('stripe-subscriptions'), 'status_changes');
    expect(active?.columns).toMatchObject({ customer_id: { column: 'Customer Email', via: 'email' }, at: { column: 'Start (UTC)' }, status: { value: 'active' } });
    expect(churned?.columns).toMatchObject({ at: { column: 'Canceled At (UTC)' }, status: { value: 'churned' }, reason: 'Cancellation Reason' });
    expect(churned?.where).toEqual([{ column: 'Canceled At (UTC)', nonblank: true }]);
  });

  it('links Zendesk tickets through the requester external id, not Zendesk\'s own id', () => {
    const [tickets] = feedsOf(source('zendesk'), 'interactions');
    expect(tickets?.columns['customer_id']).toBe('Requester external id');
    expect(tickets?.columns['channel']).toMatchObject({ column: 'Via', map: { 'Phone call': 'phone', Mail: 'email', Chat: 'chat', 'Web form': 'web', 'Walk-in': 'walk-in' }, default: 'other' });
    expect(tickets?.columns['resolved']).toMatchObject({ map: { Solved: true, Closed: true, Open: false, Pending: false } });
    expect(tickets?.columns['satisfaction']).toMatchObject({ map: { Good: 1, Bad: 0, Offered: null, Unoffered: null } });
  });

  it('unpivots the Qualtrics survey with areas from the question texts and drops previews', () => {
    const [survey] = feedsOf(source('qualtrics'), 'survey_responses');
    expect(source('qualtrics')?.csv.header_rows).toBe(3);
    expect(survey?.columns['customer_id']).toBe('ExternalReference');
    expect(survey?.columns['at']).toEqual({ column: 'RecordedDate', format: 'iso' });
    expect(survey?.where).toContainEqual({ column: 'Status', not_in: ['Survey Preview'] });
    expect(survey?.unpivot?.['Q1']?.instrument).toBe('nps');
    expect(survey?.unpivot?.['Q2_1']).toEqual({ instrument: 'rating', question: 'Please rate - Billing', area: 'Billing' });
    expect(survey?.unpivot?.['Q3']?.instrument).toBe('csat');
    expect(survey?.unpivot?.['Q4_TEXT']?.instrument).toBe('comment');
    expect(Object.keys(survey?.unpivot ?? {})).toHaveLength(11);
    expect(Object.keys(config.experience_areas)).toHaveLength(8);
    expect(config.experience_areas['network_reliability']).toEqual({ label: 'Network reliability', survey_areas: ['Network reliability'] });
  });

  it('reads GA4 events with microsecond timestamps and proposes behaviours from event names', () => {
    const [events] = feedsOf(source('ga4'), 'behaviour_events');
    expect(events?.columns).toMatchObject({ customer_id: 'user_id', at: { column: 'event_timestamp', format: 'epoch_us' }, behaviour: 'event_name' });
    expect(events?.where).toContainEqual({ column: 'user_id', nonblank: true });
    expect(config.behaviours).toMatchObject({
      paperless_billing: { event: 'paperless_billing_on' },
      autopay: { event: 'autopay_on' },
      self_service: { event: 'self_service_login' },
      referrals: { event: 'referral_sent' },
    });
  });

  it('maps referrals and references only columns that exist', async () => {
    const [referrals] = feedsOf(source('generic-referrals'), 'referrals');
    expect(referrals?.columns).toEqual({ referrer_id: 'referrer_id', referred_id: 'referred_id', at: { column: 'referred_at', format: 'iso' } });
    for (const s of Object.values(config.sources)) {
      const header = await headerOf(s.files[0] ?? '');
      for (const c of referencedColumns(s)) expect(header.has(headerKey(c)), `${s.tool}: ${c}`).toBe(true);
    }
  });

  it('comments every source with the tool and its evidence', () => {
    expect(text).toMatch(/^# cxray\.yaml: how cxray reads your exports/);
    expect(text).toMatch(/# Stripe payments export: unified_payments\.csv\n\s+# Recognised by header "Amount Refunded"/);
    expect(text).toMatch(/# Zendesk tickets export: zendesk-tickets\.csv/);
    expect(text).toMatch(/customer_id: Requester external id # 100% of sampled values are contacts ids/);
  });
});

describe('initWorkspace errors and options', () => {
  it('refuses to overwrite cxray.yaml unless forced', async () => {
    const telco = join(EXPORTS, 'telco.csv');
    await writeFile(join(dir, 'cxray.yaml'), 'keep: me\n');
    const error = await initWorkspace({ dir, from: [telco] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('config_exists');
    expect(await readFile(join(dir, 'cxray.yaml'), 'utf8')).toBe('keep: me\n');
    await initWorkspace({ dir, from: [telco], force: true });
    expect(await readFile(join(dir, 'cxray.yaml'), 'utf8')).toContain('tool: telco');
  });

  it('names a missing, empty or header-only file and the fix', async () => {
    const cases: [string, string | undefined, string][] = [
      ['missing.csv', undefined, 'input_missing'],
      ['empty.csv', '', 'input_empty'],
      ['header-only.csv', 'id,Amount,Created (UTC)\n', 'input_no_rows'],
    ];
    for (const [name, content, code] of cases) {
      const path = join(dir, name);
      if (content !== undefined) await writeFile(path, content);
      const error = await initWorkspace({ dir, from: [path] }).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(UserError);
      expect((error as UserError).code, name).toBe(code);
      expect((error as UserError).message + ((error as UserError).file ?? ''), name).toContain(name);
      expect((error as UserError).hint, name).toBeTruthy();
    }
    expect(existsSync(join(dir, 'cxray.yaml'))).toBe(false);
  });

  it('lists unrecognised and non-CSV files at the top and leaves them out', async () => {
    const exports = join(dir, 'exports');
    await import('node:fs/promises').then((fs) => fs.mkdir(exports));
    await writeFile(join(exports, 'mystery.csv'), 'alpha,beta\nx,1\ny,2\n');
    await writeFile(join(exports, 'notes.pdf'), '%PDF-1.4');
    await writeFile(join(exports, 'referrals.csv'), 'referrer_id,referred_id,referred_at\nA,B,2026-01-02\n');
    const result = await initWorkspace({ dir, from: [exports] });
    expect(result.sources.map((s) => s.tool)).toEqual(['generic-referrals']);
    expect(result.sources[0]?.files[0]).toBe(join(exports, 'referrals.csv'));
    expect(result.text).toMatch(/# Not recognised .*\n#\s+- exports\/mystery\.csv: not recognised \(headers alpha, beta\)/);
    expect(result.text).toMatch(/#\s+- exports\/notes\.pdf: not a CSV file/);
    const { config } = await loadConfig(dir);
    expect(config.sources['referrals']?.files).toEqual(['exports/referrals.csv']);
  });
});

describe('initWorkspace on a customer file with birth dates', () => {
  it('proposes an age counted to as_of (banded as a segment), keeps the date out of pii, and the config imports', async () => {
    const file = join(dir, 'members.csv');
    const rows = ['Member ID,Full Name,Date of Birth,Join Date,Region'];
    for (let i = 1; i <= 40; i += 1) rows.push(`M${i},Person ${i},${1940 + i}-0${(i % 9) + 1}-1${i % 10},2021-0${(i % 9) + 1}-05,${['north', 'south'][i % 2]}`);
    await writeFile(file, rows.join('\n') + '\n');
    const ws = join(dir, 'ws');
    await initWorkspace({ dir: ws, from: [file] });
    const { config } = await loadConfig(ws);
    const source = Object.values(config.sources)[0];
    const [customers] = feedsOf(source, 'customers');
    expect(customers?.attributes?.['age']).toMatchObject({ column: 'Date of Birth', type: 'age' });
    expect(customers?.attributes?.['date_of_birth']).toBeUndefined();
    expect(source?.pii ?? {}).not.toHaveProperty('Date of Birth');
    expect(source?.pii).toMatchObject({ 'Full Name': 'drop' });
    expect(config.segments['age_band']).toMatchObject({ attribute: 'age' });
    const imported = await new Workspace(ws).import();
    expect(imported.ledger.files[0]).toMatchObject({ read: 40, inserted: 40, quarantined: 0 });
  });
});
