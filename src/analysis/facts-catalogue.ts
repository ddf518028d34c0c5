import { ATTRIBUTE_UNITS, type CxrayConfig } from '../config/schema.js';
import type { CanonicalType, Engine } from '../engine/types.js';
import { UserError } from '../errors.js';
import { catalogueOf } from '../facts/columns.js';
import { CUSTOMER_FACTS_TABLE } from '../facts/index.js';
import { planFactsLayout } from '../facts/layout.js';
import { SourceTables } from '../facts/source-tables.js';
import type { CanonicalTableName } from '../model/tables.js';

/** A column of customer_facts as stored, with the catalogue's unit and origin where it knows them. */
export interface FactsColumnInfo {
  name: string;
  type: CanonicalType;
  unit: string | null;
  table: CanonicalTableName;
  description: string;
}

/** A customer attribute as it appears in customer_facts. */
export interface AttributeInfo {
  /** Column in customer_facts. */
  name: string;
  /** Attribute name in cxray.yaml and the customers table. */
  source: string;
  type: CanonicalType;
  /** Declared `at_acquisition: true` in cxray.yaml: known when the customer is acquired. */
  atAcquisition: boolean;
  /** The unit of its numbers besides money (`years` for an age, `days` for days since a date), else null. */
  unit: string | null;
}

export interface FactsCatalogue {
  columns: FactsColumnInfo[];
  attributes: AttributeInfo[];
}

function declaredAttributes(config: CxrayConfig): { acquisition: Set<string>; units: Map<string, string> } {
  const acquisition = new Set<string>();
  const units = new Map<string, string>();
  for (const source of Object.values(config.sources)) {
    for (const feed of source.feeds) {
      if (feed.table !== 'customers') continue;
      for (const [name, spec] of Object.entries(feed.attributes ?? {})) {
        if (typeof spec !== 'object') continue;
        if (spec.at_acquisition === true) acquisition.add(name);
        const unit = ATTRIBUTE_UNITS[spec.type];
        if (unit !== undefined) units.set(name, unit);
      }
    }
  }
  return { acquisition, units };
}

/**
 * The columns of customer_facts in this store version. The stored table is
 * the truth (cxray.yaml may have changed since the import); the catalogue
 * adds units and descriptions where names agree.
 */
export async function readFactsCatalogue(engine: Engine, config: CxrayConfig): Promise<FactsCatalogue> {
  if (!(await engine.hasTable(CUSTOMER_FACTS_TABLE))) {
    throw new UserError('facts_missing', 'This store version has no customer_facts table.', {
      hint: 'Run `cxray import` again: the version was written by an older cxray or the import did not finish.',
    });
  }
  const stored = await engine.describe(CUSTOMER_FACTS_TABLE);
  const tables = await SourceTables.discover(engine);
  const layout = planFactsLayout(config, tables.attributes());
  const catalogue = new Map(catalogueOf(layout, config.currency).map((c) => [c.name, c]));
  const { acquisition, units } = declaredAttributes(config);
  const storedNames = new Set(stored.map((c) => c.name));
  return {
    columns: stored.map((c) => {
      const known = catalogue.get(c.name);
      return {
        name: c.name,
        type: c.type,
        unit: known?.unit ?? null,
        table: known?.table ?? 'customers',
        description: known?.description ?? 'A column of customer_facts (not in the current configuration).',
      };
    }),
    attributes: layout.attributes
      .filter((a) => storedNames.has(a.name))
      .map((a) => ({ name: a.name, source: a.source, type: a.type, atAcquisition: acquisition.has(a.source), unit: units.get(a.source) ?? null })),
  };
}
