import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEngineConformance } from '../conformance/conformance.case.js';
import type { Engine } from '../types.js';
import { DuckDbEngine } from './engine.js';

describeEngineConformance('DuckDB in memory', () => DuckDbEngine.open(':memory:', { memoryLimit: '1GB' }));

// A store file in its own temp folder per engine; closing removes it.
const folders = new Map<Engine, string>();
describeEngineConformance(
  'DuckDB temp file',
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cxray-conformance-'));
    const engine = await DuckDbEngine.open(join(folder, 'store.duckdb'), { memoryLimit: '1GB' });
    folders.set(engine, folder);
    return engine;
  },
  async (engine) => {
    await engine.close();
    const folder = folders.get(engine);
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    folders.delete(engine);
  },
);
