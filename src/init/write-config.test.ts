import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderConfig } from './write-config.js';

describe('renderConfig', () => {
  it('writes comments where a person reads them and round-trips the data', () => {
    const shared = { column: 'Amount', unit: 'minor' };
    const body = {
      version: 1,
      sources: {
        payments: {
          files: ['a.csv'],
          feeds: [
            { table: 'transactions', columns: { amount: shared, kind: { column: 'Type', map: { Refund: 'refund', Sale: 'purchase' }, default: 'purchase' } } },
            { table: 'transactions', columns: { amount: shared }, where: [{ column: 'Amount', gt: 0 }] },
          ],
        },
      },
    };
    const text = renderConfig({
      header: ['first line', 'second line'],
      body,
      notes: [
        { path: ['sources', 'payments'], text: 'Stripe payments\nRecognised by x' },
        { path: ['sources', 'payments', 'feeds', 0, 'columns', 'amount'], text: 'cents' },
        { path: ['sources', 'payments', 'feeds', 1, 'where', 0], text: 'refunded only' },
        { path: ['sources', 'missing'], text: 'ignored' },
      ],
    });
    expect(text.startsWith('# first line\n# second line\n')).toBe(true);
    expect(text).toContain('  # Stripe payments\n  # Recognised by x\n  payments:');
    expect(text).toMatch(/amount: \{ column: Amount, unit: minor \} # cents/);
    expect(text).toMatch(/- \{ column: Amount, gt: 0 \} # refunded only/);
    expect(text).not.toContain('&');
    expect(text).not.toContain('ignored');
    expect(parse(text)).toEqual(body);
  });
});
