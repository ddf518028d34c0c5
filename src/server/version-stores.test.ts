import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../test/helpers/tiny-company.js';
import { Workspace } from '../workspace/workspace.js';
import { ANSWERS_KEPT, VersionStores } from './version-stores.js';

describe('a held version keeps what it worked out', () => {
  const dir = makeWorkspace();
  let stores: VersionStores;
  beforeAll(async () => {
    const ws = new Workspace(dir);
    await ws.import();
    stores = new VersionStores(ws);
  }, 120_000);
  afterAll(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`recall keeps the newest ${ANSWERS_KEPT} answers of a version, so many different requests cannot fill the memory`, async () => {
    const made: string[] = [];
    const ask = (key: string): Promise<string> =>
      stores.use((held) =>
        held.recall(key, () => {
          made.push(key);
          return Promise.resolve(`answer ${key}`);
        }),
      );
    for (let i = 0; i <= ANSWERS_KEPT; i += 1) expect(await ask(`page ${i}`)).toBe(`answer page ${i}`);
    expect(made).toHaveLength(ANSWERS_KEPT + 1);
    // The newest is kept; the oldest was let go when the 513th came, and is worked out again.
    expect(await ask(`page ${ANSWERS_KEPT}`)).toBe(`answer page ${ANSWERS_KEPT}`);
    expect(made).toHaveLength(ANSWERS_KEPT + 1);
    expect(await ask('page 0')).toBe('answer page 0');
    expect(made).toHaveLength(ANSWERS_KEPT + 2);
    expect(made.at(-1)).toBe('page 0');
  });

  it('a failed answer is forgotten, so the next request tries again; memo keeps every key', async () => {
    let attempts = 0;
    const failing = (): Promise<number> =>
      stores.use((held) =>
        held.recall('flaky', () => {
          attempts += 1;
          return attempts === 1 ? Promise.reject(new Error('first try fails')) : Promise.resolve(attempts);
        }),
      );
    await expect(failing()).rejects.toThrow('first try fails');
    expect(await failing()).toBe(2);
    expect(await failing()).toBe(2);
    let memoMade = 0;
    const memo = (key: string): Promise<string> =>
      stores.use((held) =>
        held.memo(key, () => {
          memoMade += 1;
          return Promise.resolve(key);
        }),
      );
    for (let i = 0; i < ANSWERS_KEPT + 10; i += 1) await memo(`m${i}`);
    await memo('m0');
    expect(memoMade).toBe(ANSWERS_KEPT + 10);
  });
});
