import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../workspace/workspace.js';

/** A tiny company in three exports, with one defect of each kind the importer must catch. */
function makeWorkspace(extraConfig = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-import-'));
  writeFileSync(
    join(dir, 'contacts.csv'),
    [
      'Record ID,Email,Create Date,Segment,Age',
      '1,Ann@Example.com,2025-01-05 10:00,retail,34',
      '2,bob@example.com,2025-02-10 11:30,smb,',
      '3,cy@example.com,2025-03-01 09:00, retail ,51',
      '4,dee@example.com,not a date,smb,40',
      '5,eve@example.com,2025-04-01 09:00,retail,29',
      '5,eve@example.com,2025-04-01 09:00,enterprise,29',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'payments.csv'),
    [
      'id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer Email,charge_type (metadata)',
      'ch_1,2025-02-01 10:00:00,59.90,0,usd,Paid, ann@example.com ,subscription',
      'ch_2,2025-03-01 10:00:00,"1,059.90",100.00,usd,Paid,ANN@example.com,subscription',
      'ch_3,2025-03-02 10:00:00,5.00,0,usd,Paid,bob@example.com,late_fee',
      'ch_3,2025-03-02 10:00:00,5.00,0,usd,Paid,bob@example.com,late_fee',
      'ch_4,2025-03-03 10:00:00,12..50,0,usd,Paid,bob@example.com,subscription',
      'ch_5,2025-03-04 10:00:00,-25.00,0,usd,Paid,cy@example.com,subscription',
      'ch_6,2025-03-05 10:00:00,10.00,0,usd,Paid,nobody@example.com,subscription',
      'ch_7,2025-03-06 10:00:00,10.00,0,usd,Failed,cy@example.com,subscription',
      'ch_8,2025-03-07 10:00:00,10.00,0,usd,Paid,,subscription',
      'ch_9,2025-03-08 10:00:00,7.50,0,usd,Paid,cy@example.com,mystery',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-06-30
currency: USD
fees: {late_fee: {label: Late fee}}
sources:
  contacts:
    files: [contacts.csv]
    pii: {Email: hash}
    feeds:
      - table: customers
        columns: {customer_id: Record ID, signup_at: Create Date}
        keys: {email: Email}
        attributes:
          segment: Segment
          age: {column: Age, type: integer}
  payments:
    files: [payments.csv]
    pii: {Customer Email: hash}
    feeds:
      - table: transactions
        where: [{column: Status, in: [Paid]}]
        columns:
          transaction_id: id
          customer_id: {column: Customer Email, via: email}
          at: Created date (UTC)
          amount: Amount
          currency: Currency
          kind: {column: charge_type (metadata), map: {subscription: purchase, late_fee: fee}}
          category: charge_type (metadata)
      - table: transactions
        where: [{column: Status, in: [Paid]}, {column: Amount Refunded, gt: 0}]
        columns:
          transaction_id: id
          customer_id: {column: Customer Email, via: email}
          at: Created date (UTC)
          amount: Amount Refunded
          currency: Currency
          kind: {value: refund}
${extraConfig}`,
  );
  return dir;
}

describe('import', () => {
  it('loads or quarantines every row, with a balanced ledger and reasons by line', async () => {
    const dir = makeWorkspace();
    const ws = new Workspace(dir);
    const result = await ws.import();
    expect(result.changed).toBe(true);
    expect(result.version).toBe(1);
    const contacts = result.ledger.files.find((f) => f.source === 'contacts');
    const payments = result.ledger.files.find((f) => f.source === 'payments');
    expect(contacts).toMatchObject({ read: 6, inserted: 3, duplicates: 0, quarantined: 3, quarantinedByReason: { bad_date: 1, conflicting_duplicate: 2 } });
    expect(payments).toMatchObject({
      read: 10,
      inserted: 3,
      duplicates: 1,
      excluded: 1,
      quarantined: 5,
      quarantinedByReason: { not_a_number: 1, negative_amount: 1, unknown_customer: 1, missing_value: 1, invalid_value: 1 },
      identity: { matched: 3, derived: 0, unmatched: 1 },
    });
    for (const f of result.ledger.files) expect(f.read).toBe(f.loaded + f.quarantined);
    expect(contacts?.coerced).toEqual([
      { column: 'age', reason: 'blank_to_null', count: 1 },
      { column: 'segment', reason: 'trimmed', count: 1 },
    ]);

    const quarantine = readFileSync(join(dir, 'quarantine', 'payments.csv'), 'utf8');
    const lines = quarantine.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).join(','));
    expect(lines).toEqual([
      'payments.csv,6,Amount,not_a_number',
      'payments.csv,7,Amount,negative_amount',
      'payments.csv,8,customer_id,unknown_customer',
      'payments.csv,10,Customer Email,missing_value',
      'payments.csv,11,charge_type (metadata),invalid_value',
    ]);
    expect(quarantine).not.toContain('nobody@example.com');

    const store = await ws.openStore();
    try {
      const tx = await store.engine.query(`SELECT transaction_id, customer_id, kind, category, amount, original_currency FROM transactions ORDER BY transaction_id, kind`);
      expect(tx).toEqual([
        { transaction_id: 'ch_1', customer_id: '1', kind: 'purchase', category: 'subscription', amount: '59.9000', original_currency: 'USD' },
        { transaction_id: 'ch_2', customer_id: '1', kind: 'purchase', category: 'subscription', amount: '1059.9000', original_currency: 'USD' },
        { transaction_id: 'ch_2', customer_id: '1', kind: 'refund', category: null, amount: '100.0000', original_currency: 'USD' },
        { transaction_id: 'ch_3', customer_id: '2', kind: 'fee', category: 'late_fee', amount: '5.0000', original_currency: 'USD' },
      ]);
      const customers = await store.engine.query(`SELECT customer_id, segment, age, signup_at FROM customers ORDER BY customer_id`);
      expect(customers).toEqual([
        { customer_id: '1', segment: 'retail', age: 34n, signup_at: '2025-01-05T10:00:00.000Z' },
        { customer_id: '2', segment: 'smb', age: null, signup_at: '2025-02-10T11:30:00.000Z' },
        { customer_id: '3', segment: 'retail', age: 51n, signup_at: '2025-03-01T09:00:00.000Z' },
      ]);
      const facts = await store.engine.query(`SELECT customer_id, revenue, fees, refunds FROM customer_facts ORDER BY customer_id`);
      expect(facts[0]).toMatchObject({ customer_id: '1', revenue: '1119.8000', refunds: '100.0000' });
      expect(facts[1]).toMatchObject({ customer_id: '2', fees: '5.0000' });
    } finally {
      await store.close();
    }
  });

  it('writes no version when nothing changed, a new one when a file changed, and rolls back', async () => {
    const dir = makeWorkspace();
    const ws = new Workspace(dir);
    expect((await ws.import()).version).toBe(1);
    const again = await ws.import();
    expect(again).toMatchObject({ changed: false, version: 1 });
    writeFileSync(join(dir, 'contacts.csv'), readFileSync(join(dir, 'contacts.csv'), 'utf8') + '6,fay@example.com,2025-05-01 08:00,smb,44\n');
    const second = await ws.import();
    expect(second).toMatchObject({ changed: true, version: 2 });
    expect(second.ledger.tables['customers']).toBe(4);
    expect((await ws.versions()).map((v) => v.version)).toEqual([1, 2]);
    await ws.rollback(1);
    expect(await ws.currentVersion()).toBe(1);
    const store = await ws.openStore();
    expect((await store.engine.query(`SELECT count(*) AS n FROM customers`))[0]?.['n']).toBe(3n);
    await store.close();
  });

  it('a dry run prints the ledger and writes nothing', async () => {
    const dir = makeWorkspace();
    const result = await new Workspace(dir).import({ dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.ledger.totals.read).toBe(16);
    expect(existsSync(join(dir, 'store', 'current.json'))).toBe(false);
    expect(existsSync(join(dir, 'quarantine', 'payments.csv'))).toBe(false);
  });

  it('refuses mixed currencies without rates, naming them, and leaves the store untouched', async () => {
    const dir = makeWorkspace();
    writeFileSync(join(dir, 'payments.csv'), readFileSync(join(dir, 'payments.csv'), 'utf8') + 'ch_10,2025-03-09 10:00:00,8.00,0,eur,Paid,cy@example.com,subscription\n');
    await expect(new Workspace(dir).import()).rejects.toMatchObject({ code: 'mixed_currencies', message: expect.stringContaining('EUR') as unknown });
    expect(existsSync(join(dir, 'store', 'current.json'))).toBe(false);
  });

  it('converts declared currencies exactly', async () => {
    const dir = makeWorkspace();
    writeFileSync(join(dir, 'cxray.yaml'), readFileSync(join(dir, 'cxray.yaml'), 'utf8').replace('currency: USD', 'currency: USD\nexchange_rates: {EUR: 1.1}'));
    writeFileSync(join(dir, 'payments.csv'), readFileSync(join(dir, 'payments.csv'), 'utf8') + 'ch_10,2025-03-09 10:00:00,8.00,0,eur,Paid,cy@example.com,subscription\n');
    const ws = new Workspace(dir);
    await ws.import();
    const store = await ws.openStore();
    const rows = await store.engine.query(`SELECT amount, original_amount, original_currency FROM transactions WHERE transaction_id = 'ch_10'`);
    await store.close();
    expect(rows).toEqual([{ amount: '8.8000', original_amount: '8.0000', original_currency: 'EUR' }]);
  });

  it('names a mapped column that is not in the file, with the nearest header', async () => {
    const dir = makeWorkspace();
    writeFileSync(join(dir, 'cxray.yaml'), readFileSync(join(dir, 'cxray.yaml'), 'utf8').replace('signup_at: Create Date', 'signup_at: Created Date'));
    await expect(new Workspace(dir).import()).rejects.toMatchObject({ code: 'column_missing', message: expect.stringContaining('Did you mean "Create Date"') as unknown });
  });
});
