import type { CanonicalType, ColumnInfo, Engine } from '../engine/types.js';
import { UserError } from '../errors.js';
import { CANONICAL_TABLES, CANONICAL_TABLE_NAMES, type CanonicalTableName } from '../model/tables.js';

/**
 * The canonical tables as they are in the store: which exist, and which
 * optional columns they carry. An absent optional column reads as a typed
 * NULL, so facts SQL never depends on how complete a mapping was.
 */
export class SourceTables {
  private constructor(
    private readonly engine: Pick<Engine, 'dialect'>,
    private readonly columns: ReadonlyMap<CanonicalTableName, readonly ColumnInfo[]>,
  ) {}

  static async discover(engine: Engine): Promise<SourceTables> {
    const found = new Map<CanonicalTableName, readonly ColumnInfo[]>();
    for (const table of CANONICAL_TABLE_NAMES) {
      if (!(await engine.hasTable(table))) continue;
      const columns = await engine.describe(table);
      const names = new Set(columns.map((c) => c.name));
      for (const required of CANONICAL_TABLES[table].filter((c) => c.required)) {
        if (!names.has(required.name)) {
          throw new UserError('column_missing', `The ${table} table in the store has no ${required.name} column.`, {
            hint: 'Run `cxray import` again: the store was written by another version or by hand.',
            column: required.name,
          });
        }
      }
      found.set(table, columns);
    }
    if (!found.has('customers')) {
      throw new UserError('table_missing', 'The store has no customers table, so there are no customers to describe.', {
        hint: 'Map a source to the customers table in cxray.yaml and run `cxray import`.',
      });
    }
    return new SourceTables(engine, found);
  }

  has(table: CanonicalTableName): boolean {
    return this.columns.has(table);
  }

  get used(): CanonicalTableName[] {
    return CANONICAL_TABLE_NAMES.filter((t) => this.columns.has(t));
  }

  get missing(): CanonicalTableName[] {
    return CANONICAL_TABLE_NAMES.filter((t) => !this.columns.has(t));
  }

  /** A column of a present table: its quoted name, or a NULL of its canonical type when absent. */
  column(table: CanonicalTableName, name: string): string {
    const d = this.engine.dialect;
    if (this.columns.get(table)?.some((c) => c.name === name)) return d.quoteIdent(name);
    const declared = CANONICAL_TABLES[table].find((c) => c.name === name);
    if (declared === undefined) throw new Error(`${table}.${name} is not a canonical column`);
    return `CAST(NULL AS ${d.columnType(declared.type, true)})`;
  }

  /** The canonical type of a column of a present table, as stored. */
  typeOf(table: CanonicalTableName, name: string): CanonicalType | undefined {
    return this.columns.get(table)?.find((c) => c.name === name)?.type;
  }

  /**
   * Declared attributes of customers: every column but the key, signup_at and
   * underscore-prefixed bookkeeping (`_source`, `_file`, `_line`); attribute
   * names are identifiers, which never start with an underscore.
   */
  attributes(): { name: string; type: CanonicalType }[] {
    return (this.columns.get('customers') ?? [])
      .filter((c) => c.name !== 'customer_id' && c.name !== 'signup_at' && !c.name.startsWith('_'))
      .map((c) => ({ name: c.name, type: c.type }));
  }
}
