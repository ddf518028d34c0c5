import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../test/helpers/tiny-company.js';
import { Workspace } from './workspace.js';

describe('analyze refuses what it can before opening the store', () => {
  const dir = makeWorkspace();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a segment rule that does not parse is named as such, even where no import exists yet', async () => {
    const ws = new Workspace(dir);
    // Nothing imported: a rule that parses gets as far as the store, and is told to import.
    await expect(ws.analyze(['profile'], { segment: 'segment = retail' })).rejects.toMatchObject({ code: 'no_import' });
    await expect(ws.analyze(['profile'], { segment: 'segment = ' })).rejects.toMatchObject({ code: 'segment_syntax' });
    await expect(ws.analyze(['profile'], { segment: 'segment = retail AND (age > 3' })).rejects.toMatchObject({ code: 'segment_syntax' });
  });
});
