import { join } from 'node:path';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Row, SqlParams } from '../engine/types.js';
import type { Truth } from './truth.js';

/**
 * Test support (not built): loads a simulated company's files into DuckDB
 * and keeps only the rows a strict ingest would keep, by its own rules
 * (parseable, known customer, dates and numbers valid, exact duplicates
 * collapsed, keys with conflicting versions dropped, previews excluded) —
 * never by truth.json's lists — so realised values can be recomputed
 * independently of the generator's bookkeeping.
 */
const CSV = `header=true, all_varchar=true, delim=',', quote='"', escape='"', ignore_errors=true, parallel=false`;

function source(dir: string, file: string | undefined): string {
  const path = join(dir, file ?? 'missing').replaceAll("'", "''");
  return `read_csv('${path}', ${CSV})`;
}

/** Distinct rows whose key has exactly one version. */
function uniqueByKey(from: string, key: string): string {
  return `(SELECT * FROM (SELECT DISTINCT * FROM ${from}) QUALIFY count(*) OVER (PARTITION BY "${key}") = 1)`;
}

export async function loadCleanTables(dir: string, truth: Truth): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open(':memory:', { memoryLimit: '1GB' });
  const f = truth.files;
  const ts = (column: string, withSeconds = true): string => `try_strptime("${column}", '${withSeconds ? '%Y-%m-%d %H:%M:%S' : '%Y-%m-%d %H:%M'}')`;
  await engine.exec(`CREATE TABLE contacts AS
    SELECT "Record ID" AS id, lower("Email") AS email, ${ts('Create Date', false)} AS signup, "Segment" AS segment,
      "Acquisition Channel" AS channel, "Contract Type" AS contract, "Region" AS region, "Experiment Group" AS arm, "Plan" AS plan,
      ("Acquisition Channel" = 'referral' AND "Contract Type" = 'annual' AND "Segment" = 'retail') AS ideal,
      ("Acquisition Channel" = 'outbound' AND "Contract Type" = 'monthly' AND "Segment" = 'public') AS misaligned
    FROM ${uniqueByKey(source(dir, f['contacts']), 'Record ID')}
    WHERE "Record ID" IS NOT NULL AND ${ts('Create Date', false)} IS NOT NULL`);
  await engine.exec(`CREATE TABLE payments AS
    SELECT c.id AS cid, ${ts('Created date (UTC)')} AS at, TRY_CAST("Amount" AS DECIMAL(12,2)) AS amount,
      TRY_CAST("Amount Refunded" AS DECIMAL(12,2)) AS refunded, "charge_type (metadata)" AS type
    FROM ${uniqueByKey(source(dir, f['payments']), 'id')} p
    JOIN contacts c ON c.email = lower(trim(p."Customer Email"))
    WHERE ${ts('Created date (UTC)')} IS NOT NULL AND regexp_full_match("Amount", '\\d+\\.\\d{2}') AND regexp_full_match("Amount Refunded", '\\d+\\.\\d{2}')`);
  await engine.exec(`CREATE TABLE subscriptions AS
    SELECT c.id AS cid, "Status" AS status, try_strptime("Canceled At (UTC)", '%Y-%m-%d %H:%M') AS canceled
    FROM ${uniqueByKey(source(dir, f['subscriptions']), 'id')} s
    JOIN contacts c ON c.email = lower(trim(s."Customer Email"))
    WHERE ${ts('Start (UTC)', false)} IS NOT NULL AND ("Canceled At (UTC)" IS NULL OR ${ts('Canceled At (UTC)', false)} IS NOT NULL)`);
  await engine.exec(`CREATE TABLE tickets AS
    SELECT c.id AS cid, ${ts('Created at')} AS at, TRY_CAST(coalesce("Full resolution time in minutes", '0') AS INTEGER) AS minutes
    FROM ${uniqueByKey(source(dir, f['tickets']), 'Id')} t
    JOIN contacts c ON c.id = t."Requester external id"
    WHERE ${ts('Created at')} IS NOT NULL`);
  const q2 = Array.from({ length: 8 }, (_, i) => `TRY_CAST("Q2_${i + 1}" AS INTEGER) AS q2_${i + 1}`).join(', ');
  await engine.exec(`CREATE TABLE survey AS
    SELECT c.id AS cid, "ResponseId" AS response_id, ${ts('RecordedDate')} AS at, TRY_CAST("Q1" AS INTEGER) AS nps, ${q2},
      TRY_CAST("Q3" AS INTEGER) AS csat, "Q4_TEXT" AS comment
    FROM ${uniqueByKey(`(SELECT * FROM ${source(dir, f['survey'])} WHERE "Status" = 'IP Address')`, 'ResponseId')} s
    JOIN contacts c ON c.id = s."ExternalReference"
    WHERE ${ts('RecordedDate')} IS NOT NULL AND regexp_full_match("Q1", '10|\\d')`);
  await engine.exec(`CREATE TABLE events AS
    SELECT DISTINCT c.id AS cid, "event_name" AS name, make_timestamp(TRY_CAST("event_timestamp" AS BIGINT)) AS at
    FROM (SELECT DISTINCT * FROM ${source(dir, f['events'])}) e
    JOIN contacts c ON c.id = e."user_id"
    WHERE regexp_full_match("event_timestamp", '\\d{16}')`);
  await engine.exec(`CREATE TABLE referrals AS
    SELECT a.id AS referrer, b.id AS referred, a.segment AS referrer_segment, b.segment AS referred_segment
    FROM (SELECT DISTINCT * FROM ${source(dir, f['referrals'])}) r
    JOIN contacts a ON a.id = r.referrer_id JOIN contacts b ON b.id = r.referred_id`);
  await engine.exec(`CREATE TABLE comments AS SELECT * FROM ${source(dir, f['comments'])}`);
  await engine.exec(`CREATE TABLE prospects AS SELECT * FROM ${source(dir, f['prospects'])}`);
  return engine;
}

/** The single row of a query, as numbers (DECIMAL strings and BIGINTs converted on purpose). */
export async function one(engine: DuckDbEngine, sql: string, params?: SqlParams): Promise<Record<string, number>> {
  const rows = await engine.query(sql, params);
  return numbers(rows[0] ?? {});
}

export function numbers(row: Row): Record<string, number> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? Number.NaN : Number(v)]));
}
