import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tiny company in three exports, with one defect of each kind the importer must catch. */
export function makeWorkspace(extraConfig = ''): string {
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

