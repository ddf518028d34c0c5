import { access, mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { CONFIG_FILE_NAME, parseConfig } from '../config/load.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { CxrayError, UserError } from '../errors.js';
import type { CanonicalTableName } from '../model/tables.js';
import { collectFiles } from './collect-files.js';
import { proposeWorkspace } from './propose/workspace-extras.js';
import { planSources, type Plan } from './plan-sources.js';
import { sourceBody } from './source-body.js';
import type { Note } from './types.js';
import { renderConfig } from './write-config.js';

export interface InitOptions {
  /** The workspace folder; cxray.yaml is written there. */
  dir: string;
  /** Export files or folders holding them. */
  from: readonly string[];
  /** Overwrite an existing cxray.yaml. */
  force?: boolean;
}

export interface InitResult {
  configPath: string;
  sources: { name: string; files: string[]; tool: string; tables: CanonicalTableName[] }[];
  skipped: { file: string; why: string }[];
  text: string;
}

/**
 * `cxray init`: recognise each export, guess its mapping, and write
 * `DIR/cxray.yaml` with a comment on every guess.
 *
 * @example
 * const { configPath, skipped } = await initWorkspace({ dir: 'acme', from: ['exports/'] });
 */
export async function initWorkspace(options: InitOptions): Promise<InitResult> {
  const dir = resolve(options.dir);
  const configPath = join(dir, CONFIG_FILE_NAME);
  if (options.force !== true && (await exists(configPath))) {
    throw new UserError('config_exists', `${configPath} already exists.`, {
      hint: 'Use --force to overwrite it (your edits will be lost), or edit it by hand.',
      file: configPath,
    });
  }
  if (options.from.length === 0) {
    throw new UserError('init_no_input', 'No export files given.', { hint: 'Name the exports: `cxray init --from FILE... | FOLDER`.' });
  }
  const collected = await collectFiles(options.from);
  if (collected.files.length === 0) {
    throw new UserError('init_no_input', `No CSV files in ${options.from.join(', ')}.`, {
      hint: 'Point --from at CSV exports (files or the folders holding them).',
    });
  }

  const engine = await DuckDbEngine.open(':memory:', { memoryLimit: '1GB', threads: 2 });
  let plan: Plan;
  try {
    plan = await planSources(collected.files, engine);
  } finally {
    await engine.close();
  }
  const skipped = [...collected.skipped, ...plan.skipped];
  if (plan.sources.length === 0) {
    throw new UserError('init_nothing_recognised', `None of the files could be mapped:\n${skipped.map((s) => `  ${s.file}: ${s.why}`).join('\n')}`, {
      hint: 'Give at least one export cxray recognises (a customer list, payments, tickets, surveys, events), or write cxray.yaml by hand.',
    });
  }

  const extras = proposeWorkspace(plan.facts, collected.files.map((f) => basename(f)));
  const sources: Record<string, unknown> = {};
  const notes: Note[] = [...extras.notes];
  for (const source of plan.sources) {
    const { body, notes: sourceNotes, comment } = sourceBody(source, dir);
    sources[source.name] = body;
    notes.push({ path: ['sources', source.name], text: comment.join('\n') });
    for (const n of sourceNotes) notes.push({ path: ['sources', source.name, ...n.path], text: n.text });
  }
  const { as_of: asOf, currency, ...rest } = extras.top;
  const body: Record<string, unknown> = {
    version: 1,
    ...(asOf === undefined ? {} : { as_of: asOf }),
    ...(currency === undefined ? {} : { currency }),
    ...rest,
    sources,
  };
  const text = renderConfig({ header: header(plan, collected.skipped, extras.remarks, dir), body, notes });

  try {
    parseConfig(text, configPath);
  } catch (error) {
    throw new CxrayError('init_invalid_config', `cxray init wrote a config its own schema rejects (a bug):\n${(error as Error).message}`, { cause: error });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(configPath, text, { flag: options.force === true ? 'w' : 'wx' });
  return {
    configPath,
    sources: plan.sources.map((s) => ({
      name: s.name,
      files: [s.file.path],
      tool: s.recognition.tool,
      tables: [...new Set(s.proposed.feeds.map((f) => f.feed.table))],
    })),
    skipped: skipped.map(({ file, why }) => ({ file, why })),
    text,
  };
}

function header(plan: Plan, collectedSkipped: readonly { file: string; why: string }[], remarks: readonly string[], dir: string): string[] {
  const show = (file: string): string => {
    const rel = relative(dir, file);
    return rel.startsWith('..') ? file : rel;
  };
  const lines = [
    'cxray.yaml: how cxray reads your exports, written by `cxray init`.',
    'Each source says which tool it recognised and why; each guessed column carries a comment.',
    '"CHECK" marks an assumption to verify. Edit freely: `cxray import` validates this file',
    'and names any mistake with its line. Personal data listed under `pii` is hashed',
    '(salted with $CXRAY_PII_SALT) or dropped on import.',
  ];
  const unrecognised = plan.skipped.filter((s) => s.unrecognised === true);
  const leftOut = [...collectedSkipped, ...plan.skipped.filter((s) => s.unrecognised !== true)];
  if (unrecognised.length > 0) {
    lines.push('', 'Not recognised (left out; add a source by hand if it matters):');
    for (const s of unrecognised) lines.push(`  - ${show(s.file)}: ${s.why}`);
  }
  if (leftOut.length > 0) {
    lines.push('', 'Left out:');
    for (const s of leftOut) lines.push(`  - ${show(s.file)}: ${s.why}`);
  }
  if (remarks.length > 0) {
    lines.push('', ...remarks);
  }
  return lines;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
