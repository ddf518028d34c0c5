import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspacePaths } from './paths.js';
import { workspaceId } from './workspace-id.js';

// The id naming a workspace's databases on a cluster: made once, kept, and
// remade when a killed first command left the file without one.

describe('the workspace id', () => {
  it('is made once and kept; an empty file (its maker killed before writing) gets a real id, not the empty string', async () => {
    const paths = workspacePaths(mkdtempSync(join(tmpdir(), 'cxray-wsid-')));
    const id = await workspaceId(paths);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(await workspaceId(paths)).toBe(id);

    const other = workspacePaths(mkdtempSync(join(tmpdir(), 'cxray-wsid-')));
    mkdirSync(other.store, { recursive: true });
    writeFileSync(join(other.store, 'workspace-id'), '');
    const remade = await workspaceId(other);
    expect(remade).toMatch(/^[0-9a-f]{12}$/);
    expect(readFileSync(join(other.store, 'workspace-id'), 'utf8').trim()).toBe(remade);
    expect(await workspaceId(other)).toBe(remade);
  });
});
