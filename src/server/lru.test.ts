import { describe, expect, it } from 'vitest';
import { Lane } from './lane.js';
import { LruCache } from './lru.js';

describe('LruCache', () => {
  it('drops the least recently used entry beyond its capacity; reading refreshes', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.keys()).toEqual(['a', 'c']);
    expect(cache.has('b')).toBe(false);
    cache.set('a', 10);
    cache.set('d', 4);
    expect(cache.keys()).toEqual(['a', 'd']);
    expect(cache.get('a')).toBe(10);
    expect(cache.size).toBe(2);
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});

describe('Lane', () => {
  it('runs work one piece at a time, in order, and goes on after a failure', async () => {
    const lane = new Lane();
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) =>
      lane.run(async () => {
        log.push(`${name} start`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a', 20), step('b', 5, true), step('c', 1)]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
