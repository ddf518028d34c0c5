import { describe, expect, it } from 'vitest';
import { planStatement } from './statement-plan.js';

const cluster = { database: 'cx', cluster: { name: 'cxray', localDatabase: 'cx_local' } };

describe('statement routing', () => {
  it('sends reads and inserts to the entry server, DDL to every shard', () => {
    expect(planStatement('SELECT 1', cluster)).toEqual([{ target: 'entry', sql: 'SELECT 1' }]);
    expect(planStatement('INSERT INTO t VALUES (1)', cluster)).toEqual([{ target: 'entry', sql: 'INSERT INTO t VALUES (1)' }]);
    expect(planStatement('CREATE VIEW v AS SELECT 1', cluster)).toEqual([{ target: 'every-shard', sql: 'CREATE VIEW v AS SELECT 1' }]);
    expect(planStatement('BEGIN TRANSACTION', cluster)).toEqual([{ target: 'entry', sql: 'BEGIN TRANSACTION' }]);
  });

  it('drops a table with its shard parts, and a view with DROP TABLE (18.16 has no DROP VIEW)', () => {
    expect(planStatement('DROP TABLE IF EXISTS `a\\`b`', cluster)).toEqual([
      { target: 'every-shard', sql: 'DROP TABLE IF EXISTS `cx`.`a\\`b`' },
      { target: 'every-shard', sql: 'DROP TABLE IF EXISTS `cx_local`.`a\\`b`' },
    ]);
    expect(planStatement('drop view "v" -- gone', cluster)).toEqual([
      { target: 'every-shard', sql: 'DROP TABLE `cx`.`v`' },
      { target: 'every-shard', sql: 'DROP TABLE IF EXISTS `cx_local`.`v`' },
    ]);
    expect(planStatement('DROP VIEW v', { database: 'cx' })).toEqual([{ target: 'every-shard', sql: 'DROP TABLE `cx`.`v`' }]);
  });

  it('runs other DROP forms verbatim on every shard (another database, extra clauses)', () => {
    expect(planStatement('DROP TABLE other.t', cluster)).toEqual([{ target: 'every-shard', sql: 'DROP TABLE other.t' }]);
    expect(planStatement('DROP DATABASE cx', cluster)).toEqual([{ target: 'every-shard', sql: 'DROP DATABASE cx' }]);
    expect(planStatement('DROP TABLE t ON CLUSTER c', cluster)).toEqual([{ target: 'every-shard', sql: 'DROP TABLE t ON CLUSTER c' }]);
  });
});
