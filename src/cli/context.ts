import type { Command } from 'commander';
import { resolve } from 'node:path';
import { Workspace } from '../workspace/workspace.js';
import { createOutput, type Output } from './output.js';

export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
  debug?: boolean;
}

export interface CommandContext {
  out: Output;
  workspaceDir: string;
  workspace: Workspace;
  /** Whether --workspace was given explicitly. */
  workspaceGiven: boolean;
}

export function contextOf(command: Command, defaultWorkspace = '.'): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const workspaceDir = resolve(globals.workspace ?? defaultWorkspace);
  return {
    out: createOutput({ json: globals.json === true, debug: globals.debug === true }),
    workspaceDir,
    workspace: new Workspace(workspaceDir),
    workspaceGiven: globals.workspace !== undefined,
  };
}

/** Examples shown under --help. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
