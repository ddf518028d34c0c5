import { join, resolve } from 'node:path';

/** The folders and files of a workspace. */
export interface WorkspacePaths {
  root: string;
  config: string;
  store: string;
  currentPointer: string;
  importLock: string;
  serverRegistration: string;
  quarantine: string;
  snapshots: string;
  reports: string;
  results: string;
  /** The changes `cxray changes add` records (store/changes.json). */
  changes: string;
}

export function workspacePaths(dir: string): WorkspacePaths {
  const root = resolve(dir);
  const store = join(root, 'store');
  return {
    root,
    config: join(root, 'cxray.yaml'),
    store,
    currentPointer: join(store, 'current.json'),
    importLock: join(store, 'import.lock'),
    serverRegistration: join(store, 'server.json'),
    quarantine: join(root, 'quarantine'),
    snapshots: join(root, 'snapshots'),
    reports: join(root, 'reports'),
    results: join(root, 'results'),
    changes: join(store, 'changes.json'),
  };
}

export function versionName(version: number): string {
  return `v${String(version).padStart(6, '0')}`;
}

export function versionStoreFile(paths: WorkspacePaths, version: number): string {
  return join(paths.store, `${versionName(version)}.duckdb`);
}

export function versionLedgerFile(paths: WorkspacePaths, version: number): string {
  return join(paths.store, `${versionName(version)}.ledger.json`);
}
