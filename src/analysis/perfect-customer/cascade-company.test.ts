import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { standardCompany } from '../../../test/helpers/company.js';
import { initWorkspace } from '../../init/index.js';
import { companyCostsYaml } from '../../simulate/index.js';
import { readTruth, type Truth } from '../../simulate/truth.js';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import { declaredBehaviours } from './behaviours.js';
import { cascadeOf, withContext } from './cascade-workspace.case.js';
import { resultRows } from '../result-rows.case.js';
import { satisfactionMeasure } from './satisfaction.js';
import { importCached } from '../../../test/helpers/import-cache.js';

// The standard simulated company (20,000 customers, seed 1) through init and
// import, with its support costs appended. The cascade planted there
// (src/simulate/customer-factory.ts, satisfaction.ts, support.ts) runs the
// other way round from the one the section models: each behaviour is drawn
// independently of everything, self-service then shifts the latent
// recommendation by +0.3 sd (truth.json satisfactionShift) and cuts account
// and how-to tickets (savingPerCustomerMonth); autopay and paperless billing
// save money but leave satisfaction alone (shift 0). No satisfaction makes
// anyone adopt anything. What the data can show: an association between
// satisfaction and self-service (promoters are adopters more often) but none
// for autopay and paperless; each behaviour's own value; and an indirect
// effect for self-service only, which the method must not sell as money that
// better experience would bring.

let truth: Truth;
let result: Result;
let rawGap: number;

const links = (behaviour: string): Record<string, Record<string, unknown>> =>
  Object.fromEntries(resultRows(result, 'cascade').filter((row) => row['behaviour'] === behaviour).map((row) => [row['link'] as string, row]));
const num = (row: Record<string, unknown> | undefined, column: string): number => row?.[column] as number;
const planted = (name: string) => {
  const b = truth.behaviours.find((x) => x.name === name);
  if (b === undefined) throw new Error(`no planted ${name}`);
  return b;
};

beforeAll(async () => {
  const company = standardCompany();
  truth = await readTruth(join(company, 'truth.json'));
  const dir = mkdtempSync(join(tmpdir(), 'cxray-cascade-sim-'));
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  await initWorkspace({ dir, from: files, force: false });
  appendFileSync(join(dir, 'cxray.yaml'), companyCostsYaml());
  const ws = new Workspace(dir);
  await importCached(ws);
  result = await cascadeOf(ws);
  // The raw gap: self-service among promoters minus among detractors, as they are.
  rawGap = await withContext(ws, async (ctx) => {
    const d = ctx.engine.dialect;
    const values = new SqlValues(ctx.engine, 'pc');
    const measure = await satisfactionMeasure(ctx, values);
    const b = declaredBehaviours(ctx).find((x) => x.key === 'self_service');
    if (measure === null || b === undefined) throw new Error('no measure or self-service');
    const share = (sign: string) => `sum(${d.ifThen(`${measure.sql} ${sign} 0`, b.adopted, '0')}) * 1.0 / sum(${d.ifThen(`${measure.sql} ${sign} 0`, '1', '0')})`;
    const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: [`${share('>')} AS ${d.quoteIdent('_p')}`, `${share('<')} AS ${d.quoteIdent('_d')}`], where: [`${measure.sql} IS NOT NULL`] }), values);
    return (numberOf(row?.['_p']) ?? 0) - (numberOf(row?.['_d']) ?? 0);
  });
}, 300_000);

describe('the cascade on the simulated company (self-service: satisfaction shift 0.3 and a saving planted)', () => {
  it('estimates every declared behaviour on the same respondents and customers', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    expect([...new Set(resultRows(result, 'cascade').map((r) => r['behaviour']))].sort()).toEqual(['autopay', 'paperless_billing', 'referrals', 'self_service']);
    for (const row of resultRows(result, 'cascade')) expect(row['n']).toBe(row['link'] === 'behaviour_to_money' ? 20_000 : num(links('self_service')['experience_to_behaviour'], 'n'));
    expect(num(links('self_service')['experience_to_behaviour'], 'n')).toBeGreaterThan(9_000);
  });

  it('self-service: promoters are clearly more often adopters, as the planted shift implies, and adjustment leaves the raw gap nearly as it is', () => {
    const adoption = links('self_service')['experience_to_behaviour'];
    expect(num(adoption, 'lower')).toBeGreaterThan(10);
    // Adoption was drawn independently of the covariates, so adjusting for them moves the gap little.
    expect(num(adoption, 'estimate')).toBeCloseTo(100 * rawGap, -0.5);
    expect(num(adoption, 'lower')).toBeLessThan(100 * rawGap);
    expect(num(adoption, 'upper')).toBeGreaterThan(100 * rawGap);
  });

  it('autopay and paperless billing (no planted shift): no adoption gap, and no clear indirect effect', () => {
    for (const name of ['autopay', 'paperless_billing']) {
      expect(planted(name).planted.satisfactionShift).toBe(0);
      const l = links(name);
      expect(num(l['experience_to_behaviour'], 'lower'), name).toBeLessThan(0);
      expect(num(l['experience_to_behaviour'], 'upper'), name).toBeGreaterThan(0);
      expect(num(l['indirect_per_customer_month'], 'lower'), name).toBeLessThan(0);
      expect(num(l['indirect_per_customer_month'], 'upper'), name).toBeGreaterThan(0);
      expect(result.findings.find((f) => f.code === `perfect_customer.cascade.${name}`)?.severity).toBe('info');
    }
  });

  it('each behaviour\'s money link covers the saving the simulator realised, and self-service\'s the planted one too', () => {
    for (const name of ['autopay', 'paperless_billing', 'self_service']) {
      const value = links(name)['behaviour_to_money'];
      const realised = planted(name).realised.savingPerCustomerMonth;
      expect(num(value, 'lower'), name).toBeLessThan(realised);
      expect(num(value, 'upper'), name).toBeGreaterThan(realised);
    }
    const value = links('self_service')['behaviour_to_money'];
    expect(num(value, 'lower')).toBeLessThan(planted('self_service').planted.savingPerCustomerMonth);
    expect(num(value, 'upper')).toBeGreaterThan(planted('self_service').planted.savingPerCustomerMonth);
  });

  it('self-service: the indirect effect is the adoption gap times the value, clearly positive, stated for the year and with the direction caveat', () => {
    const l = links('self_service');
    const indirect = num(l['indirect_per_customer_month'], 'estimate');
    expect(indirect).toBeCloseTo((num(l['experience_to_behaviour'], 'estimate') / 100) * num(l['behaviour_to_money'], 'estimate'), 12);
    expect(num(l['indirect_per_customer_month'], 'lower')).toBeGreaterThan(0);
    expect(num(l['indirect_per_year'], 'estimate')).toBeCloseTo(indirect * 12 * 20_000, 6);
    const finding = result.findings.find((f) => f.code === 'perfect_customer.cascade.self_service');
    expect(finding?.severity).toBe('low');
    expect(finding?.text).toMatch(/^Promoters adopt self-service more often than comparable detractors: \+\d+\.\d percentage points .*n = [\d,]+ respondents\)\. Self-service is worth \+\$1\.\d\d per customer-month/);
    expect(result.method.assumptions.join(' ')).toMatch(/if the behaviour raises satisfaction instead \(self-service can\), the same association appears/);
  });
});
