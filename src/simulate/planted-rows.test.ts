import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUARANTINE_REASONS, type QuarantineReason } from '../model/ledger.js';
import { CLEAN_LEAD } from './bad-rows.js';
import { ROW_KEYS, defectsOf, readRecords, type CheckContext, type RawRecord } from './file-checks.case.js';
import type { FileKey } from './files.js';
import { simulateCompany } from './simulate-company.js';
import { readTruth, type Truth } from './truth.js';

// Every planted row is where truth.json says, with exactly the defect it
// says, and no other row of any file has a defect. Checked by reading the
// files back as bytes with an independent strict reader.
const CUSTOMERS = 6_000;
const CHECKED: readonly FileKey[] = ['contacts', 'payments', 'subscriptions', 'tickets', 'survey', 'events', 'referrals'];

let dir: string;
let truth: Truth;

function headerRows(key: FileKey): number {
  return key === 'survey' ? 3 : 1;
}

function load(key: FileKey): { header: string[]; data: RawRecord[]; all: RawRecord[] } {
  const all = readRecords(join(dir, truth.files[key] ?? ''));
  return { header: all[0]?.fields ?? [], data: all.slice(headerRows(key)), all };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxray-sim-rows-'));
  const summary = await simulateCompany({ customers: CUSTOMERS, seed: 11, outDir: dir });
  truth = await readTruth(summary.truthPath);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('planted rows', () => {
  it('lists every planted row at its line with its defect, and nothing else is defective', () => {
    const contacts = load('contacts');
    const ctx: CheckContext = { recordIds: new Set(), emails: new Set() };
    // Known customers: contact rows a strict ingest would load (no defect, no conflicting twin).
    const contactKeys = new Map<string, Set<string>>();
    for (const r of contacts.data) {
      const id = r.fields[0] ?? '';
      contactKeys.set(id, (contactKeys.get(id) ?? new Set()).add(r.raw.toString('latin1')));
    }
    for (const r of contacts.data) {
      const id = r.fields[0] ?? '';
      if (defectsOf('contacts', contacts.header, r, ctx).length === 0 && (contactKeys.get(id)?.size ?? 0) === 1) {
        ctx.recordIds.add(id);
        ctx.emails.add((r.fields[3] ?? '').toLowerCase());
      }
    }
    expect(ctx.recordIds.size).toBe(CUSTOMERS);

    const seenReasons = new Map<QuarantineReason, number>();
    for (const key of CHECKED) {
      const { header, data, all } = load(key);
      const name = truth.files[key];
      const bad = new Map(truth.badRows.filter((b) => b.file === name).map((b) => [b.line, b.reason]));
      const dupes = new Set(truth.exactDuplicates.filter((b) => b.file === name).map((b) => b.line));
      const excluded = new Set(truth.excluded.filter((b) => b.file === name).map((b) => b.line));
      const keyColumn = ROW_KEYS[key];
      const keyIndex = keyColumn === undefined ? -1 : header.indexOf(keyColumn);
      const versions = new Map<string, Set<string>>();
      if (keyIndex >= 0) {
        for (const r of data) {
          const k = r.fields[keyIndex] ?? '';
          if (k !== '') versions.set(k, (versions.get(k) ?? new Set()).add(r.raw.toString('latin1')));
        }
      }
      const seen = new Set<string>();
      const lines = new Set(data.map((r) => r.line));
      for (const line of [...bad.keys(), ...dupes, ...excluded]) expect(lines.has(line), `${name}:${line} is not where a record starts`).toBe(true);

      const problems: string[] = [];
      const check = (ok: boolean, message: string): void => {
        if (!ok) problems.push(message);
      };
      data.forEach((r, i) => {
        const where = `${name}:${r.line}`;
        const found = defectsOf(key, header, r, ctx);
        const k = keyIndex >= 0 ? (r.fields[keyIndex] ?? '') : '';
        if (k !== '' && (versions.get(k)?.size ?? 0) > 1 && found.length === 0) found.push('conflicting_duplicate');
        const raw = r.raw.toString('latin1');
        const duplicate = seen.has(raw);
        seen.add(raw);
        const listed = bad.get(r.line);
        if (listed !== undefined) {
          seenReasons.set(listed, (seenReasons.get(listed) ?? 0) + 1);
          check(found.length === 1 && found[0] === listed, `${where}: listed ${listed}, found [${found.join(', ')}]`);
          check(i >= CLEAN_LEAD, `${where} is within the first ${CLEAN_LEAD} data rows`);
          if (listed === 'unterminated_quote') check(r === all[all.length - 1], `${where} is not the last record`);
        } else if (dupes.has(r.line)) {
          check(duplicate && found.length === 0, `${where}: listed exact duplicate, duplicate=${duplicate}, found [${found.join(', ')}]`);
        } else if (excluded.has(r.line)) {
          check(r.fields[header.indexOf('Status')] === 'Survey Preview', `${where}: listed preview is not a Survey Preview`);
        } else {
          check(found.length === 0, `${where} has unlisted defects [${found.join(', ')}]`);
          check(!duplicate, `${where} is an unlisted duplicate`);
          if (key === 'survey') check(r.fields[header.indexOf('Status')] === 'IP Address', `${where} is an unlisted preview`);
        }
      });
      expect(problems.slice(0, 10)).toEqual([]);
      const rows = truth.rows[key];
      expect(rows?.dataRows, name).toBe(data.length);
      expect(rows?.bad, name).toBe(bad.size);
      expect(rows?.exactDuplicates, name).toBe(dupes.size);
      expect(rows?.excluded, name).toBe(excluded.size);
      expect(rows?.clean, name).toBe(data.length - bad.size - dupes.size - excluded.size);
    }
    for (const reason of Object.keys(QUARANTINE_REASONS) as QuarantineReason[]) {
      if (reason === 'invalid_value' || reason === 'unknown_currency') continue;
      expect(seenReasons.get(reason) ?? 0, reason).toBeGreaterThanOrEqual(2);
    }
    const total = truth.badRows.length;
    const rows = Object.values(truth.rows).reduce((s, r) => s + r.dataRows, 0);
    expect(total / rows).toBeGreaterThan(0.0005);
    expect(total / rows).toBeLessThan(0.002);
    expect(truth.excluded.length).toBeGreaterThanOrEqual(2);
    expect(new Set(truth.exactDuplicates.map((d) => d.file)).size).toBeGreaterThanOrEqual(3);
  });

  it('writes comments with embedded newlines inside quotes, counted as extra physical lines', () => {
    const { data } = load('survey');
    const multi = data.filter((r) => (r.text ?? '').includes('\n'));
    expect(multi.length).toBeGreaterThan(10);
    const next = data[data.indexOf(multi[0] as RawRecord) + 1];
    expect(next?.line).toBe((multi[0]?.line ?? 0) + 2);
  });
});
