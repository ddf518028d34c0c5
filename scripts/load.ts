/**
 * The load test of `cxray serve` (issue 10, "Load"): a simulated workspace
 * of N customers, analysed once so that its Results are stored, served by
 * `cxray serve` in a child process as a user would start it, and driven on
 * loopback with autocannon over the read endpoints in two phases:
 *
 * 1. read: C connections for D seconds over a mix of read endpoints, after
 *    one warm-up request each (the first answer of a version pays for
 *    opening the store, the customer scores and reading stored Results).
 * 2. re-import: the same readers while `POST /api/import` writes a new
 *    version (one customer appended to the contacts export); every answer
 *    must be a 200 of the old or the new version, whole: per version, one
 *    customer total across endpoints and one body per path.
 *
 *   scripts/load.sh --customers 100k --connections 10 --duration 10
 *   scripts/load.sh --customers 1m --connections 50 --duration 60
 *
 * Writes bench/load-<customers>.json and the "## Load" section of
 * bench/RELIABILITY.md (from every bench/load-*.json). Exits 1 when a check
 * fails. test/e2e/load.test.ts runs the same phases at CI size.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, appendFileSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO = resolve(import.meta.dirname, '..');

// ---------------------------------------------------------------- autocannon (no type declarations ship with it)

interface AutocannonRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: unknown, headers: Record<string, string>) => void;
}
interface AutocannonResult {
  /** `total`: requests answered; `sent`: requests sent. */
  requests: { average: number; total: number; sent: number };
  throughput: { average: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  stop(): void;
}
type Autocannon = (options: { url: string; connections: number; duration: number; timeout: number; headers: Record<string, string>; requests: AutocannonRequest[] }) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// ---------------------------------------------------------------- the server, as a user starts it

export interface ServeChild {
  url: string;
  token: string;
  stop(): Promise<void>;
  /** What the server printed on stderr (its log). */
  log(): string;
}

/** `cxray` from this checkout's source (tsx), so that no build is needed; `built` runs bin/cxray.js (dist/). */
export function cxrayCommand(cli: 'source' | 'built', args: string[]): [string, string[]] {
  if (cli === 'built') return [process.execPath, [join(REPO, 'bin', 'cxray.js'), ...args]];
  const main = pathToFileURL(join(REPO, 'src', 'cli', 'main.ts')).href;
  return [process.execPath, ['--import', 'tsx', '-e', `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(['node', 'cxray', ...process.argv.slice(1)]);`, ...args]];
}

/** Starts `cxray serve --allow-writes --port 0` on a workspace with a fresh token, and resolves once it prints its URL. */
export async function startServe(workspace: string, options: { cli?: 'source' | 'built'; extraArgs?: string[] } = {}): Promise<ServeChild> {
  const token = randomBytes(24).toString('hex');
  const [command, args] = cxrayCommand(options.cli ?? 'source', ['serve', '--workspace', workspace, '--port', '0', '--allow-writes', '--json', ...(options.extraArgs ?? [])]);
  const child: ChildProcess = spawn(command, args, { cwd: REPO, env: { ...process.env, CXRAY_TOKEN: token, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setInterval(() => {
      const found = /"url"\s*:\s*"([^"]+)"/.exec(stdout);
      if (found?.[1] !== undefined) {
        clearInterval(timer);
        resolveUrl(found[1]);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`cxray serve exited (${child.exitCode}): ${stderr}`));
      }
    }, 50);
  });
  return {
    url,
    token,
    log: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      // An analysis a stopped reader asked for may still be running: give it a moment, then stop it.
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

// ---------------------------------------------------------------- the readers

/** The analyses whose stored Results the readers ask for. */
export const READ_ANALYSES = ['profile', 'fit', 'value', 'lifetime-value', 'perfect-customer', 'scorecard'] as const;

interface Reader {
  label: string;
  /** The first variant: what the warm-up asks. */
  path: string;
  /**
   * The paths this reader asks in turn (ids, pages and sort keys vary, so
   * the load is not one answer served again and again); [path] when fixed.
   */
  variants: string[];
  /** Whether the answer is a stored Result (the p99 aim is about these). */
  storedResult: boolean;
}

/** Customer ids the detail reader rotates through (at most), spread over the base. */
const DETAIL_IDS = 200;
/** Pages (1 to this) the sorted list reader rotates through, over every sort key and both orders. */
const LIST_PAGES = 20;

/** The mix of read endpoints: customer ids and a table name come from the server. */
export async function readerMix(url: string, token: string): Promise<Reader[]> {
  const auth = { authorization: `Bearer ${token}` };
  // Ids from both ends of several sort orders: customers spread over the base, not neighbours in id order.
  const ids = new Set<string>();
  for (const sort of ['id', 'fitScore', 'lifetimeValue', 'churnRisk', 'netValue']) {
    for (const order of ['asc', 'desc']) {
      const page = (await (await fetch(new URL(`/api/customers?pageSize=${DETAIL_IDS / 10}&sort=${sort}&order=${order}`, url), { headers: auth })).json()) as { customers?: { id: string }[] };
      for (const c of page.customers ?? []) ids.add(c.id);
    }
  }
  if (ids.size === 0) throw new Error('No customer to read: is the workspace imported?');
  const profile = (await (await fetch(new URL('/api/results/profile', url), { headers: auth })).json()) as { tables?: { name: string }[] };
  const table = profile.tables?.[0]?.name;
  if (table === undefined) throw new Error('The profile Result has no table.');
  const sorts = ['fitScore', 'perfectCustomerIndex', 'lifetimeValue', 'pAlive', 'churnRisk', 'netValue'];
  const lists: string[] = [];
  for (let page = 1; page <= LIST_PAGES; page += 1) for (const sort of sorts) for (const order of ['desc', 'asc']) lists.push(`/api/customers?page=${page}&pageSize=100&sort=${sort}&order=${order}`);
  const fixed = (label: string, path: string, storedResult: boolean): Reader => ({ label, path, variants: [path], storedResult });
  const varied = (label: string, variants: string[]): Reader => ({ label, path: variants[0] ?? '', variants, storedResult: false });
  return [
    fixed('health', '/api/health', false),
    fixed('status', '/api/status', false),
    fixed('results', '/api/results', true),
    ...READ_ANALYSES.map((name) => fixed(`results/${name}`, `/api/results/${name}`, true)),
    fixed('customers', '/api/customers', false),
    varied('customers?sort', lists),
    varied('customers/{id}', [...ids].map((id) => `/api/customers/${encodeURIComponent(id)}`)),
    fixed('segments', '/api/segments', false),
    fixed('tables/*.csv', `/api/tables/profile/${encodeURIComponent(table)}.csv`, false),
  ];
}

export interface Latency {
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function latencyOf(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const round = (x: number): number => Math.round(x * 10) / 10;
  return { requests: sorted.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? 0), mean: round(sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)) };
}

/** Per version: what every answer of that version must agree on. */
class VersionChecks {
  readonly answersByVersion = new Map<number, number>();
  readonly failures: string[] = [];
  private readonly totals = new Map<number, Map<string, number>>();
  private readonly bodies = new Map<string, string>();

  constructor(private readonly allowed: ReadonlySet<number> | null) {}

  fail(text: string): void {
    if (this.failures.length < 20) this.failures.push(text);
    else if (this.failures.length === 20) this.failures.push('(more left out)');
  }

  /** One answer: its status, its version where it has one, and what it says. */
  check(reader: Reader, status: number, body: string): void {
    if (status !== 200) return this.fail(`${reader.label}: ${status} ${body.slice(0, 200)}`);
    if (reader.label === 'health' || reader.label === 'tables/*.csv') return;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return this.fail(`${reader.label}: not JSON: ${body.slice(0, 200)}`);
    }
    const version = reader.label === 'status' ? parsed['currentVersion'] : parsed['importVersion'];
    if (typeof version !== 'number') return this.fail(`${reader.label}: no version in the answer`);
    this.answersByVersion.set(version, (this.answersByVersion.get(version) ?? 0) + 1);
    if (this.allowed !== null && !this.allowed.has(version)) this.fail(`${reader.label}: version ${version}, expected one of ${[...this.allowed].join(', ')}`);
    const total = reader.label === 'customers' || reader.label === 'customers?sort' ? parsed['total'] : reader.label === 'segments' ? parsed['customers'] : reader.label === 'status' ? (parsed['tables'] as Record<string, unknown> | undefined)?.['customers'] : undefined;
    if (typeof total === 'number') this.agree(version, `customers total (${reader.label})`, total);
    if (reader.label !== 'status') {
      // Status says whether an import runs and which versions the server holds: it changes within a version.
      // Characters beyond ASCII are left out of the print: autocannon decodes chunks one by one, so one split across two could read differently.
      const print = createHash('sha256').update(body.replace(/[^\x20-\x7e]/g, '')).digest('hex');
      const key = `${version} ${reader.path}`;
      const seen = this.bodies.get(key);
      if (seen === undefined) this.bodies.set(key, print);
      else if (seen !== print) this.fail(`${reader.label}: two different answers for version ${version}`);
    }
  }

  private agree(version: number, what: string, value: number): void {
    let totals = this.totals.get(version);
    if (totals === undefined) this.totals.set(version, (totals = new Map()));
    const customers = totals.get('customers');
    if (customers === undefined) totals.set('customers', value);
    else if (customers !== value) this.fail(`version ${version}: ${what} is ${value}, another answer of the same version said ${customers}`);
  }

  customersOf(version: number): number | undefined {
    return this.totals.get(version)?.get('customers');
  }
}

export interface PhaseFigures {
  seconds: number;
  connections: number;
  requests: number;
  /** Requests sent but not answered when the phase stopped (re-import phase only). */
  inFlightAtStop: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  checkFailures: string[];
  requestsPerSecond: number;
  megabytesPerSecond: number;
  latencyMs: Latency;
  storedResultsMs: Latency;
  byEndpoint: Record<string, Latency>;
  answersByVersion: Record<string, number>;
}

interface Drive {
  instance: AutocannonInstance;
  finish(): Promise<PhaseFigures>;
}

/** Starts the readers; `finish` waits for them (or stops them first) and sums up. */
function drive(url: string, token: string, readers: Reader[], options: { connections: number; duration: number; timeout: number; checks: VersionChecks }): Drive {
  const latencies = new Map<string, number[]>();
  let answered: Reader | null = null;
  const started = performance.now();
  const instance = autocannon({
    url,
    connections: options.connections,
    duration: options.duration,
    timeout: options.timeout,
    headers: { authorization: `Bearer ${token}` },
    requests: readers.map((reader, r) => {
      // Variants in turn, shared by all connections (a prime stride through them, so neighbours differ).
      let turn = 0;
      return {
        method: 'GET',
        path: reader.path,
        setupRequest: (request: AutocannonRequest, context: Record<string, unknown>) => {
          const path = reader.variants[(turn++ * 7919 + r) % reader.variants.length] ?? reader.path;
          context[reader.label] = path;
          return { ...request, path };
        },
        onResponse: (status: number, body: string, context: unknown) => {
          // autocannon calls onResponse, then emits 'response' with the time, synchronously: this names the request timed next.
          answered = reader;
          const path = (context as Record<string, unknown>)[reader.label];
          options.checks.check({ ...reader, path: typeof path === 'string' ? path : reader.path }, status, body);
        },
      };
    }),
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    if (answered === null) return;
    let list = latencies.get(answered.label);
    if (list === undefined) latencies.set(answered.label, (list = []));
    list.push(ms);
    answered = null;
  });
  return {
    instance,
    finish: async () => {
      const result = await instance;
      const seconds = (performance.now() - started) / 1000;
      const all = [...latencies.values()].flat();
      const stored = readers.filter((r) => r.storedResult).flatMap((r) => latencies.get(r.label) ?? []);
      return {
        seconds: Math.round(seconds * 10) / 10,
        connections: options.connections,
        requests: all.length,
        inFlightAtStop: Math.max(0, result.requests.sent - result.requests.total - result.errors),
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
        checkFailures: options.checks.failures,
        requestsPerSecond: Math.round((all.length / Math.max(1e-9, result.duration)) * 10) / 10,
        megabytesPerSecond: Math.round((result.throughput.average / 1e6) * 100) / 100,
        latencyMs: latencyOf(all),
        storedResultsMs: latencyOf(stored),
        byEndpoint: Object.fromEntries(readers.map((r) => [r.label, latencyOf(latencies.get(r.label) ?? [])])),
        answersByVersion: Object.fromEntries([...options.checks.answersByVersion.entries()].map(([v, n]) => [String(v), n])),
      };
    },
  };
}

/** One GET per reader, in turn, before measuring: the first answers of a version (opening the store, the customer scores) are timed apart. */
async function warmUp(url: string, token: string, readers: Reader[]): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  for (const reader of readers) {
    const t0 = performance.now();
    const res = await fetch(new URL(reader.path, url), { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`warm-up ${reader.path}: ${res.status}`);
    times[reader.label] = Math.round(performance.now() - t0);
  }
  return times;
}

// ---------------------------------------------------------------- the re-import

/** The customers export of a simulated workspace (HubSpot contacts). */
function contactsFile(workspace: string): string {
  const dir = join(workspace, 'exports');
  const name = readdirSync(dir).find((f) => f.startsWith('hubspot-crm-exports-all-contacts') && f.endsWith('.csv'));
  if (name === undefined) throw new Error(`No HubSpot contacts export in ${dir}: is it a simulated workspace (cxray demo)?`);
  return join(dir, name);
}

function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] ?? '';
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

/** Appends one new customer to the contacts export (a copy of the first, with a new id and e-mail), so that the next import writes a version with one more customer. */
export function appendCustomer(workspace: string): string {
  const file = contactsFile(workspace);
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(64 * 1024);
  const n = readSync(fd, head, 0, head.length, 0);
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, statSync(file).size - 1);
  closeSync(fd);
  const [header, first] = head.subarray(0, n).toString('utf8').split(/\r?\n/);
  const columns = csvFields(header ?? '');
  const fields = csvFields(first ?? '');
  const id = `9${String(Date.now()).slice(-7)}`;
  const idAt = columns.indexOf('Record ID');
  const emailAt = columns.indexOf('Email');
  if (idAt < 0 || emailAt < 0) throw new Error(`${file} has no Record ID or Email column.`);
  fields[idAt] = id;
  fields[emailAt] = `load-test-${id}@example.org`;
  appendFileSync(file, `${last.toString() === '\n' ? '' : '\n'}${fields.map((f) => (/[",\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')}\n`);
  return id;
}

interface ImportJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  result: { changed: boolean; version: number | null } | null;
  error: { code: string; message: string } | null;
}

export interface LoadFigures {
  read: PhaseFigures;
  warmUpMs: Record<string, number>;
  reimport: (PhaseFigures & { versionBefore: number; versionAfter: number | null; customersBefore: number | null; customersAfter: number | null; importSeconds: number; job: ImportJob }) | null;
}

export interface LoadOptions {
  connections: number;
  duration: number;
  /** The re-import phase: a new version written while the readers run (the workspace folder, to append a customer to). */
  reimport?: { workspace: string; settleSeconds?: number } | undefined;
  /** Per request, in seconds (autocannon counts a slower answer as an error). */
  timeout?: number;
  log?: (line: string) => void;
}

/** Both phases against a running server. */
export async function runLoad(url: string, token: string, options: LoadOptions): Promise<LoadFigures> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const readers = await readerMix(url, token);
  const warmUpMs = await warmUp(url, token, readers);
  log(`warm-up (first answers, ms): ${JSON.stringify(warmUpMs)}`);
  log(`read phase: ${options.connections} connections for ${options.duration} s over ${readers.length} endpoints`);
  const read = await drive(url, token, readers, { connections: options.connections, duration: options.duration, timeout: options.timeout ?? 10, checks: new VersionChecks(null) }).finish();
  log(`read phase: ${read.requests} requests, ${read.errors} errors, ${read.non2xx} non-2xx, p99 ${read.latencyMs.p99} ms (stored Results ${read.storedResultsMs.p99} ms)`);
  log(`read phase p50/p99 by endpoint (ms): ${Object.entries(read.byEndpoint).map(([label, l]) => `${label} ${l.p50}/${l.p99}`).join(', ')}`);
  if (options.reimport === undefined) return { read, warmUpMs, reimport: null };

  const auth = { authorization: `Bearer ${token}` };
  const status = (await (await fetch(new URL('/api/status', url), { headers: auth })).json()) as { currentVersion: number };
  const versionBefore = status.currentVersion;
  appendCustomer(options.reimport.workspace);
  const checks = new VersionChecks(new Set([versionBefore, versionBefore + 1]));
  // The readers' answers after the flip may wait for the new version's first analyses: a long timeout, and the phase is stopped, not timed.
  const readers2 = drive(url, token, readers, { connections: options.connections, duration: 24 * 3600, timeout: 600, checks });
  await new Promise((r) => setTimeout(r, 2000));
  const t0 = performance.now();
  const started = await fetch(new URL('/api/import', url), { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
  let job = (await started.json()) as ImportJob;
  if (started.status !== 202) throw new Error(`POST /api/import: ${started.status} ${JSON.stringify(job)}`);
  log(`re-import phase: import job ${job.id} started from version ${versionBefore}`);
  while (job.status === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    job = (await (await fetch(new URL(`/api/import/${job.id}`, url), { headers: auth })).json()) as ImportJob;
  }
  const importSeconds = Math.round((performance.now() - t0) / 100) / 10;
  log(`re-import phase: import ${job.status} in ${importSeconds} s (version ${job.result?.version ?? '?'}); readers go on ${options.reimport.settleSeconds ?? 5} s`);
  await new Promise((r) => setTimeout(r, (options.reimport?.settleSeconds ?? 5) * 1000));
  readers2.instance.stop();
  const phase = await readers2.finish();
  const versionAfter = job.result?.version ?? null;
  if (job.status !== 'done' || versionAfter !== versionBefore + 1) checks.fail(`the import ended ${job.status} at version ${versionAfter ?? 'none'}: ${JSON.stringify(job.error)}`);
  log(`re-import phase: ${phase.requests} answers by version ${JSON.stringify(phase.answersByVersion)}, ${phase.errors} errors, ${phase.non2xx} non-2xx, ${phase.checkFailures.length} check failures`);
  return {
    read,
    warmUpMs,
    reimport: { ...phase, versionBefore, versionAfter, customersBefore: checks.customersOf(versionBefore) ?? null, customersAfter: versionAfter === null ? null : (checks.customersOf(versionAfter) ?? null), importSeconds, job },
  };
}

/** What must hold: no errors, stored Results' p99 under the aim, and the re-import seen whole by every reader. */
export function verdict(figures: LoadFigures, p99AimMs = 500): { noErrors: boolean; storedResultsP99UnderAim: boolean; noHalfState: boolean; problems: string[] } {
  const problems: string[] = [];
  const clean = (name: string, p: PhaseFigures): void => {
    if (p.errors + p.non2xx > 0) problems.push(`${name}: ${p.errors} errors (${p.timeouts} of them timeouts), ${p.non2xx} non-2xx (answers by status: ${JSON.stringify(p.statusCodes)})`);
    if (p.requests === 0) problems.push(`${name}: no request answered`);
  };
  clean('read', figures.read);
  if (figures.read.checkFailures.length > 0) problems.push(...figures.read.checkFailures.map((f) => `read: ${f}`));
  const noErrors = problems.length === 0;
  const storedResultsP99UnderAim = figures.read.storedResultsMs.requests > 0 && figures.read.storedResultsMs.p99 < p99AimMs;
  if (!storedResultsP99UnderAim) problems.push(`read: stored Results p99 ${figures.read.storedResultsMs.p99} ms, aim under ${p99AimMs} ms`);
  let noHalfState = true;
  const r = figures.reimport;
  if (r !== null) {
    const before = problems.length;
    clean('re-import', r);
    problems.push(...r.checkFailures.map((f) => `re-import: ${f}`));
    if ((r.answersByVersion[String(r.versionBefore)] ?? 0) === 0) problems.push('re-import: no reader answer from the old version');
    if (r.versionAfter !== null && (r.answersByVersion[String(r.versionAfter)] ?? 0) === 0) problems.push('re-import: no reader answer from the new version');
    if (r.customersBefore !== null && r.customersAfter !== null && r.customersAfter !== r.customersBefore + 1) problems.push(`re-import: ${r.customersBefore} customers before, ${r.customersAfter} after; expected one more`);
    noHalfState = problems.length === before;
  }
  return { noErrors, storedResultsP99UnderAim, noHalfState, problems };
}

// ---------------------------------------------------------------- the record

function commitOf(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export interface LoadRecord {
  customers: number;
  connections: number;
  durationSeconds: number;
  date: string;
  commit: string;
  /** The 1-minute load average when the load phases started and ended: other work on the machine shares its cores. */
  machine: { cpus: number; memoryGiB: number; node: string; loadAverage: { start: number; end: number } };
  cli: 'source' | 'built';
  rateLimit: string;
  workspace: string;
  prepareSeconds: number | null;
  figures: LoadFigures;
  verdict: ReturnType<typeof verdict>;
}

export function loadRecord(fields: Omit<LoadRecord, 'date' | 'commit' | 'machine' | 'verdict'>, loadAverageAtStart: number): LoadRecord {
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    ...fields,
    date: new Date().toISOString(),
    commit: commitOf(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: { start: round(loadAverageAtStart), end: round(loadavg()[0] ?? 0) } },
    verdict: verdict(fields.figures),
  };
}

const fmt = (x: number): string => x.toLocaleString('en-US');

/** The "## Load" section of bench/RELIABILITY.md, from every bench/load-*.json. */
export function loadSection(records: LoadRecord[]): string {
  const rows = records
    .sort((a, b) => a.customers - b.customers)
    .map((r) => {
      const { read, reimport } = r.figures;
      const versions = reimport === null ? '-' : Object.entries(reimport.answersByVersion).map(([v, n]) => `v${v}: ${fmt(n)}`).join(', ');
      const unversioned = reimport === null ? 0 : reimport.requests - Object.values(reimport.answersByVersion).reduce((s, n) => s + n, 0);
      return `| ${fmt(r.customers)} | ${r.connections} x ${r.durationSeconds} s | ${fmt(read.requests)} | ${read.errors} (${read.timeouts} timeouts) / ${read.non2xx} | ${fmt(read.requestsPerSecond)} | ${read.latencyMs.p50} / ${read.latencyMs.p90} / ${read.latencyMs.p99} / ${read.latencyMs.max} | ${read.storedResultsMs.p50} / ${read.storedResultsMs.p99} / ${read.storedResultsMs.max} | ${reimport === null ? '-' : `${reimport.importSeconds} s; ${fmt(reimport.requests)} answers (${versions}, ${fmt(unversioned)} without a version: health, CSV); ${reimport.errors} errors, ${reimport.non2xx} non-2xx, ${reimport.checkFailures.length} mixed`} | ${verdict(r.figures).problems.length === 0 ? 'pass' : 'FAIL'} | ${r.date.slice(0, 10)}, ${r.commit} (${r.machine.loadAverage?.start ?? '?'} -> ${r.machine.loadAverage?.end ?? '?'}) |`;
    });
  const notes = records.map((r) => {
    const slowest = Object.entries(r.figures.read.byEndpoint)
      .sort(([, a], [, b]) => (b.requests === 0 ? Infinity : b.p50) - (a.requests === 0 ? Infinity : a.p50))
      .slice(0, 3)
      .map(([label, l]) => `${label} ${l.requests === 0 ? 'never answered in time' : `${l.p50} / ${l.p99}`}`)
      .join(', ');
    const [firstLabel, firstMs] = Object.entries(r.figures.warmUpMs).sort(([, a], [, b]) => b - a)[0] ?? ['-', 0];
    const found = verdict(r.figures).problems;
    const problems = found.length === 0 ? 'no problem' : found.join('; ');
    return `- ${fmt(r.customers)}: ${problems}. Slowest endpoints (p50 / p99 ms): ${slowest}. Slowest first answer: ${firstLabel} ${fmt(firstMs)} ms.${r.prepareSeconds === null ? '' : ` Preparing the workspace took ${fmt(r.prepareSeconds)} s.`}`;
  });
  return `## Load

\`scripts/load.sh\` (scripts/load.ts) drives \`cxray serve\` (a child process, a
token set, \`--allow-writes\`, the default rate limit) with autocannon on
loopback: first one warm-up request per endpoint, then C connections for D
seconds over the read endpoints (health, status, the summary of every
Result, ${READ_ANALYSES.length} stored Results, the first customer page, sorted pages
(${LIST_PAGES} pages x 6 sort keys x 2 orders, in turn), one customer's page (up to
${DETAIL_IDS} customers from both ends of 5 sort orders, in turn), segments, a Result
table as CSV: the server keeps answers per version, so varied pages and ids
keep most requests from being answered from memory); then the re-import phase: the same readers while
\`POST /api/import\` writes a new version with one more customer, each answer
checked to be a 200 of the old or the new version, whole (per version one
customer total across endpoints, one body per path). Latencies in ms, from
the readers' side; an error is a request left unanswered past autocannon's
timeout (10 s in the read phase, 600 s in the re-import phase) or a refused
connection. Aims: no errors, stored Results p99 under 500 ms, no half
state. Each run writes \`bench/load-<customers>.json\` with every figure. The
machine has 2 cores shared with other work: the load average (1 minute, at
the start and the end of the load phases) says how much else ran.

| customers | connections x time | requests | errors / non-2xx | req/s | all p50 / p90 / p99 / max | stored Results p50 / p99 / max | re-import: import time; reader answers by version | verdict | run (load average) |
|---:|---|---:|---|---:|---|---|---|---|---|
${rows.join('\n')}

${notes.join('\n')}

CI (\`test/e2e/load.test.ts\`, in \`npm test\`) runs the same phases on the
standard 20,000-customer company with 10 connections for 10 s, not 100,000:
simulating and importing 100k costs about two minutes on this 2-core
machine, over the time a test may take. The re-import phase's answers after
the flip wait for the new version's first analyses (nothing is analysed
ahead), so its latencies are not held to the aim.
`;
}

/** Replaces (or adds) the "## Load" section of bench/RELIABILITY.md, leaving every other section as it is. */
export function updateReliability(file: string, section: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Reliability\n\nHow cxray holds up: figures recorded by the scripts named in each section.\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^## Load\s*$/.test(l));
  if (start < 0) {
    writeFileSync(file, `${text.replace(/\n*$/, '\n\n')}${section}`);
    return;
  }
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  const before = lines.slice(0, start).join('\n');
  const after = lines.slice(end).join('\n');
  writeFileSync(file, `${before}${before === '' ? '' : '\n'}${section}${after === '' ? '' : `\n${after}`}`.replace(/\n*$/, '\n'));
}

// ---------------------------------------------------------------- the command

function parseCount(text: string, flag: string): number {
  const n = Number(text.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} ${text} is not a whole number (1k, 100k, 1m accepted).`);
  return n;
}

interface Args {
  customers: number;
  connections: number;
  duration: number;
  seed: number;
  workspace: string;
  cli: 'source' | 'built';
  reimport: boolean;
  /** Where to write the run's record instead of bench/ (with --no-record: RELIABILITY.md is left as it is). */
  out?: string;
  record: boolean;
  serveArgs: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { customers: 100_000, connections: 10, duration: 10, seed: 1, workspace: '', cli: 'source', reimport: true, record: true, serveArgs: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] ?? '';
    const value = (): string => {
      const v = argv[(i += 1)];
      if (v === undefined) throw new Error(`${flag} needs a value.`);
      return v;
    };
    if (flag === '--customers') args.customers = parseCount(value(), flag);
    else if (flag === '--connections') args.connections = parseCount(value(), flag);
    else if (flag === '--duration') args.duration = parseCount(value(), flag);
    else if (flag === '--seed') args.seed = Number(value());
    else if (flag === '--workspace') args.workspace = resolve(value());
    else if (flag === '--cli') args.cli = value() === 'built' ? 'built' : 'source';
    else if (flag === '--no-reimport') args.reimport = false;
    else if (flag === '--no-record') args.record = false;
    else if (flag === '--out') args.out = resolve(value());
    else if (flag === '--rate-limit' || flag === '--rate-burst') args.serveArgs.push(flag, value());
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`scripts/load.sh [--customers 100k] [--connections 10] [--duration 10] [--seed 1] [--workspace DIR]
                [--cli source|built] [--rate-limit N] [--rate-burst N] [--no-reimport] [--no-record] [--out FILE]
The workspace defaults to .cache/load/c<customers>-s<seed> (made with \`cxray demo --no-serve\` when missing, reused after).
Each run's re-import adds a version to it (about 0.4 GB at 100k, 4 GB at 1M): remove the folder to reclaim the space.\n`);
      process.exit(0);
    } else throw new Error(`Unknown option ${flag} (see --help).`);
  }
  if (args.workspace === '') args.workspace = join(REPO, '.cache', 'load', `c${args.customers}-s${args.seed}`);
  return args;
}

/** `cxray demo --no-serve`: simulates, imports and analyses the first time; after, analyses what is missing. */
function prepare(args: Args): number {
  const t0 = performance.now();
  const [command, argv] = cxrayCommand(args.cli, ['demo', '--no-serve', '--customers', String(args.customers), '--seed', String(args.seed), '--workspace', args.workspace]);
  process.stderr.write(`preparing ${args.workspace} (cxray demo --no-serve --customers ${args.customers})\n`);
  execFileSync(command, argv, { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TZ: 'UTC' } });
  return Math.round((performance.now() - t0) / 100) / 10;
}

async function mainCommand(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const prepareSeconds = prepare(args);
  const loadAverageAtStart = loadavg()[0] ?? 0;
  const server = await startServe(args.workspace, { cli: args.cli, extraArgs: args.serveArgs });
  let figures: LoadFigures;
  try {
    figures = await runLoad(server.url, server.token, { connections: args.connections, duration: args.duration, reimport: args.reimport ? { workspace: args.workspace, settleSeconds: Math.min(10, Math.max(5, args.duration / 4)) } : undefined });
  } finally {
    await server.stop();
  }
  const serverLog = server.log().trim();
  if (serverLog !== '') process.stderr.write(`server log:\n${serverLog.slice(0, 4000)}\n`);
  const rateLimit = args.serveArgs.length === 0 ? 'default' : args.serveArgs.join(' ');
  const record = loadRecord({ customers: args.customers, connections: args.connections, durationSeconds: args.duration, cli: args.cli, rateLimit, workspace: args.workspace, prepareSeconds, figures }, loadAverageAtStart);
  if (args.record) {
    const out = join(REPO, 'bench', `load-${args.customers}.json`);
    writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
    const records = readdirSync(join(REPO, 'bench'))
      .filter((f) => /^load-\d+\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(REPO, 'bench', f), 'utf8')) as LoadRecord);
    updateReliability(join(REPO, 'bench', 'RELIABILITY.md'), loadSection(records));
    process.stderr.write(`wrote ${out} and the Load section of bench/RELIABILITY.md\n`);
  } else if (args.out !== undefined) {
    writeFileSync(args.out, `${JSON.stringify(record, null, 2)}\n`);
    process.stderr.write(`wrote ${args.out}\n`);
  }
  process.stdout.write(`${JSON.stringify({ read: { requests: figures.read.requests, errors: figures.read.errors, non2xx: figures.read.non2xx, p99: figures.read.latencyMs.p99, storedResultsP99: figures.read.storedResultsMs.p99 }, verdict: record.verdict }, null, 2)}\n`);
  if (record.verdict.problems.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await mainCommand();
}
