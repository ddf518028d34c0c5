import type { Engine } from '../engine/types.js';
import { LruCache } from './lru.js';
import { UserError } from '../errors.js';
import type { ImportLedger } from '../model/ledger.js';
import type { OpenStore, Workspace } from '../workspace/workspace.js';

/** One import version held open for reading, and what the server worked out about it. */
export interface HeldVersion {
  version: number;
  ledger: ImportLedger;
  engine: Engine;
  /** The answer of `make`, worked out once per version and key (a failure is forgotten, so the next request tries again). */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
  /**
   * Like memo, for answers keyed by what a request asked (a page, a segment
   * rule): the newest ANSWERS_KEPT are kept, so a client asking many
   * different things cannot fill the memory.
   */
  recall<T>(key: string, make: () => Promise<T>): Promise<T>;
}

/** Answers kept per held version by `recall`. */
export const ANSWERS_KEPT = 512;

/** Where memo and recall keep answers: a Map (all) or an LruCache (the newest). */
interface AnswerStore {
  get(key: string): Promise<unknown> | undefined;
  set(key: string, value: Promise<unknown>): void;
  delete(key: string): boolean;
}

/** The answer kept under `key`, else `make`'s, kept; a failure is forgotten (unless a newer answer took its place). */
function keptOrMade<R>(store: AnswerStore, key: string, make: () => Promise<R>): Promise<R> {
  let kept = store.get(key) as Promise<R> | undefined;
  if (kept === undefined) {
    const made = make();
    store.set(key, made);
    made.catch(() => {
      if (store.get(key) === made) store.delete(key);
    });
    kept = made;
  }
  return kept;
}

interface Entry {
  version: number;
  opened: Promise<{ store: OpenStore; ledger: ImportLedger }>;
  memo: Map<string, Promise<unknown>>;
  answers: LruCache<string, Promise<unknown>>;
  users: number;
  retired: boolean;
  closed: boolean;
}

/**
 * The store of the current import version, held open across requests.
 * Every request reads the current pointer first: while an import writes a
 * new version the pointer still names the old one, which keeps answering;
 * when the import flips the pointer (last), the next request opens the new
 * version, and the old one is closed once the requests still using it end.
 *
 * @example
 * const stores = new VersionStores(workspace);
 * const n = await stores.use((v) => v.engine.query('SELECT count(*) AS n FROM customer_facts'));
 */
export class VersionStores {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly workspace: Workspace) {}

  async use<T>(work: (held: HeldVersion) => Promise<T>): Promise<T> {
    const version = await this.workspace.currentVersion();
    if (version === null) throw new UserError('no_import', 'Nothing has been imported into this workspace yet.', { hint: 'Run `cxray import` (or POST /api/import on a server started with --allow-writes).' });
    let entry = this.entries.get(version);
    if (entry === undefined || entry.closed) {
      entry = this.open(version);
      this.entries.set(version, entry);
    }
    // Current again (a rollback to a version still held): keep it.
    entry.retired = false;
    for (const other of this.entries.values()) {
      if (other !== entry && !other.retired) {
        other.retired = true;
        if (other.users === 0) await this.release(other);
      }
    }
    entry.users += 1;
    try {
      const { store, ledger } = await entry.opened;
      const { memo, answers } = entry;
      return await work({
        version,
        ledger,
        engine: store.engine,
        memo: <R>(key: string, make: () => Promise<R>): Promise<R> => keptOrMade(memo, key, make),
        recall: <R>(key: string, make: () => Promise<R>): Promise<R> => keptOrMade(answers, key, make),
      });
    } finally {
      entry.users -= 1;
      if (entry.retired && entry.users === 0) await this.release(entry);
    }
  }

  /** The versions held open now (for tests and the status of the server). */
  heldVersions(): number[] {
    return [...this.entries.values()].filter((e) => !e.closed).map((e) => e.version);
  }

  async close(): Promise<void> {
    for (const entry of [...this.entries.values()]) await this.release(entry);
  }

  private open(version: number): Entry {
    const opened = (async () => {
      const ledger = (await this.workspace.versions()).find((v) => v.version === version);
      if (ledger === undefined) throw new UserError('version_missing', `Version ${version} has no ledger.`, { hint: 'Run `cxray import` again.' });
      const store = await this.workspace.openStore(version);
      return { store, ledger };
    })();
    const entry: Entry = { version, opened, memo: new Map(), answers: new LruCache(ANSWERS_KEPT), users: 0, retired: false, closed: false };
    // A version that failed to open is forgotten, so the next request tries again.
    opened.catch(() => {
      entry.closed = true;
      if (this.entries.get(version) === entry) this.entries.delete(version);
    });
    return entry;
  }

  private async release(entry: Entry): Promise<void> {
    if (entry.closed) return;
    entry.closed = true;
    if (this.entries.get(entry.version) === entry) this.entries.delete(entry.version);
    try {
      const { store } = await entry.opened;
      await store.close();
    } catch {
      // Never opened, or already gone: nothing to close.
    }
  }
}
