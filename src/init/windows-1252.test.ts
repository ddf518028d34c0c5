import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { Workspace } from '../workspace/workspace.js';
import { initWorkspace } from './init-workspace.js';

/**
 * An export saved by an old Excel on Windows: Windows-1252, where the euro
 * sign, curly quotes and dashes sit at 0x80-0x9F (Latin-1 has only control
 * characters there, and DuckDB's reader knows no Windows-1252). Through
 * `cxray init` and `cxray import`, every cell must arrive as the person
 * typed it, a bad row quarantined at its own line.
 */
const ROWS = [
  ['Customer ID', 'Name', 'Signup Date', 'Région', 'Note'],
  ['C-1', 'José Müller', '2024-01-15', 'Île-de-France', 'Paid €120 – “on time”'],
  ['C-2', 'Zoë Ñúñez', '2024-02-01', 'Málaga', '‘quoted’ … • ™ Š œ Ÿ'],
  ['C-3', 'Øyvind', '2024-03-10', 'Genève', 'plain'],
  ['C-4', 'extra', '2024-03-11', 'Köln', 'one', 'too many'],
  ['C-5', 'François', '2024-04-01', 'Zürich', '—'],
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxray-cp1252-'));
  const text = ROWS.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')).join('\r\n') + '\r\n';
  const bytes = Buffer.from(new Uint8Array([...text].map((ch) => cp1252Byte(ch))));
  await writeFile(join(dir, 'customers.csv'), bytes);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Windows-1252's byte for a character (the few this test uses above 0x7F outside Latin-1's). */
function cp1252Byte(ch: string): number {
  const special: Record<string, number> = { '€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '™': 0x99, 'Š': 0x8a, 'œ': 0x9c, 'Ÿ': 0x9f };
  const code = special[ch] ?? ch.charCodeAt(0);
  if (code > 0xff) throw new Error(`no Windows-1252 byte for ${ch}`);
  return code;
}

describe('a Windows-1252 export', () => {
  it('is recognised by init and read by import cell for cell, the bad row quarantined at its line', async () => {
    await initWorkspace({ dir, from: [join(dir, 'customers.csv')] });
    const { config } = await loadConfig(dir);
    const source = Object.values(config.sources)[0];
    expect(source?.csv.encoding).toBe('windows-1252');
    const ws = new Workspace(dir);
    const imported = await ws.import();
    const ledger = imported.ledger;
    const file = ledger.files[0];
    expect(file).toMatchObject({ read: 5, inserted: 4, quarantined: 1 });
    const store = await ws.openStore();
    try {
      const rows = await store.engine.query('SELECT customer_id, _line FROM customers ORDER BY customer_id');
      expect(rows.map((r) => [r['customer_id'], Number(r['_line'])])).toEqual([
        ['C-1', 2],
        ['C-2', 3],
        ['C-3', 4],
        ['C-5', 6],
      ]);
      const texts = await store.engine.query('SELECT region, note FROM customers ORDER BY customer_id');
      const kept = ROWS.slice(1).filter((r) => r.length === 5);
      expect(texts.map((r) => [r['region'], r['note']])).toEqual(kept.map((r) => [r[3], r[4]]));
    } finally {
      await store.close();
    }
    const quarantine = await readdir(join(dir, 'quarantine')).catch(() => [] as string[]);
    expect(quarantine.length).toBeGreaterThan(0);
    // No UTF-8 copy left in the store folder.
    expect((await readdir(join(dir, 'store'))).filter((f) => f.endsWith('.csv'))).toEqual([]);
  });
});
