import { z } from 'zod';

/** Where the proof found a customer. */
export const proofFindingSchema = z.object({
  place: z.enum(['table', 'file', 'bytes']).describe('table: a value in a store table; file: a text file of the workspace; bytes: the raw bytes of a store file.'),
  customer: z.string().describe('The customer id asked for.'),
  as: z.enum(['id', 'hashed id', 'identity key']).describe('The form it was found in.'),
  version: z.number().int().optional(),
  table: z.string().optional(),
  column: z.string().optional(),
  rows: z.number().int().optional(),
  file: z.string().optional().describe('Relative to the workspace.'),
  where: z.string().optional().describe('Where in the file: a line, a CSV row and column, a JSON path, a byte offset.'),
  owned: z.boolean().describe('Whether the place is one erase cleans (store, results, snapshots, quarantine, reports): a finding there is a bug; elsewhere it is a file of yours to fix.'),
});

export const proofSchema = z.object({
  clean: z.boolean().describe('Nothing was found anywhere searched.'),
  searched: z.object({
    versions: z.number().int(),
    tables: z.number().int(),
    columns: z.number().int(),
    files: z.number().int().describe('Text files of the workspace searched.'),
    storeFiles: z.number().int().describe('Store files whose raw bytes were searched.'),
  }),
  findings: z.array(proofFindingSchema),
  notSearched: z.array(z.object({ file: z.string(), reason: z.string() })).describe('Files left out, and why (your source exports, binary files).'),
  shortIds: z.array(z.string()).describe('Ids shorter than 6 characters: matched only as whole values (id columns, JSON strings, CSV id columns, quarantined fields), never inside free text or raw bytes.'),
});

export const versionErasureSchema = z.object({
  version: z.number().int(),
  engine: z.enum(['duckdb', 'clickhouse']),
  rowsRemoved: z.record(z.string(), z.number().int()).describe('Rows removed per table.'),
  referencesCleared: z.record(z.string(), z.number().int()).describe('Other customers\' rows that named an erased customer (`customer_facts.referred_by`), per table.column: the value set to NULL.'),
  textRedacted: z.record(z.string(), z.number().int()).describe('Other customers\' rows whose free text mentioned an erased customer (a comment naming their id), per table.column: each mention replaced by [erased].'),
  rewritten: z.boolean().describe('DuckDB: the file was copied to a new one (no freed block keeps old rows) and renamed over the old one.'),
  bytesBefore: z.number().int().nullable(),
  bytesAfter: z.number().int().nullable(),
  mutations: z.number().int().describe('ClickHouse: ALTER TABLE ... DELETE mutations run, waited for on every shard.'),
  inactiveParts: z.number().int().nullable().describe('ClickHouse: replaced parts the servers still keep on disk (deleted after old_parts_lifetime, 8 minutes by default).'),
});

export const eraseReportSchema = z.object({
  workspace: z.string(),
  customers: z.array(z.object({ id: z.string(), found: z.boolean().describe('Whether any stored row held this customer.') })),
  versions: z.array(versionErasureSchema),
  results: z.array(z.string()).describe('Stored Result folders deleted (results/<version>): every Result of a version that held an erased customer.'),
  snapshots: z.array(z.string()).describe('Snapshot files deleted: those of versions that held an erased customer.'),
  quarantine: z.array(z.object({ file: z.string(), rowsRemoved: z.number().int() })),
  reports: z.array(z.string()).describe('Reports in the workspace deleted: made from a version that held an erased customer.'),
  otherFiles: z.array(z.string()).describe('Leftovers of killed imports and temporary files deleted.'),
  proof: proofSchema,
  notes: z.array(z.string()),
  seconds: z.number(),
});

export type ProofFinding = z.infer<typeof proofFindingSchema>;
export type Proof = z.infer<typeof proofSchema>;
export type VersionErasure = z.infer<typeof versionErasureSchema>;
export type EraseReport = z.infer<typeof eraseReportSchema>;
