import type { AttributeSpec, CxrayConfig } from '../../config/schema.js';
import { UserError } from '../../errors.js';
import type { AttributeInfo } from '../facts-catalogue.js';

/** How a prospects file's columns were used. */
export interface ProspectColumns {
  /** The column holding each prospect's id. */
  id: string;
  /** Columns read as customer attributes, with the model attribute (grouping key) each feeds. */
  used: { column: string; attribute: string; modelAttribute: string }[];
  /** Columns not read, and why. */
  ignored: { column: string; why: string }[];
  /** Model attributes the file has no column for: every prospect counts as average on them. */
  missing: { modelAttribute: string; attribute: string; expected: string[] }[];
}

/** A model attribute: the grouping key the model uses and the customer attribute it reads. */
export interface ModelAttribute {
  key: string;
  attribute: AttributeInfo;
}

/** Header names compare case-, space- and underscore-insensitively ("Acquisition Channel" = "acquisition_channel"). */
export function headerKey(name: string): string {
  return name.trim().replace(/[\s_]+/g, ' ').toLowerCase();
}

/** The customers feeds' specs of an attribute, in config order. */
export function attributeSpecs(config: CxrayConfig, source: string): AttributeSpec[] {
  const out: AttributeSpec[] = [];
  for (const s of Object.values(config.sources)) {
    for (const feed of s.feeds) {
      const spec = feed.table === 'customers' ? feed.attributes?.[source] : undefined;
      if (spec !== undefined) out.push(spec);
    }
  }
  return out;
}

function specColumn(spec: AttributeSpec): string | undefined {
  return typeof spec === 'string' ? spec : spec.column;
}

/** The customers feeds' id column names (how the CRM writes the key), for guessing the prospects' id. */
function customerIdColumns(config: CxrayConfig): string[] {
  const out: string[] = [];
  for (const s of Object.values(config.sources)) {
    for (const feed of s.feeds) {
      const spec = feed.table === 'customers' ? feed.columns['customer_id'] : undefined;
      const column = spec === undefined ? undefined : typeof spec === 'string' ? spec : spec.column;
      if (column !== undefined) out.push(column);
    }
  }
  return out;
}

/**
 * Match a prospects file's header to the customer attributes as cxray.yaml
 * maps them: a column is an attribute when its name is the attribute's
 * source column in the customers feed (as the CRM export writes it) or the
 * attribute's own name. The id is `idColumn` when given, else the first
 * other column named like an id (`id`, `… id`, `…_id`, the CRM's customer
 * id column), else the first other column.
 */
export function matchProspectColumns(
  header: readonly string[],
  config: CxrayConfig,
  model: readonly ModelAttribute[],
  attributes: readonly AttributeInfo[],
  /** Why an attribute (by its name in cxray.yaml) is not in the model. */
  leftOut: ReadonlyMap<string, string>,
  idColumn?: string,
): ProspectColumns {
  const candidates = (a: AttributeInfo): string[] => [...new Set([...attributeSpecs(config, a.source).map(specColumn).filter((c): c is string => c !== undefined), a.source, a.name])];
  const owner = new Map<string, AttributeInfo>();
  for (const a of attributes) for (const c of candidates(a)) if (!owner.has(headerKey(c))) owner.set(headerKey(c), a);
  const modelBySource = new Map(model.map((m) => [m.attribute.source, m]));
  let id = idColumn === undefined ? undefined : header.find((h) => headerKey(h) === headerKey(idColumn));
  if (idColumn !== undefined && id === undefined) {
    throw new UserError('column_missing', `The prospects file has no column "${idColumn}" (--id).`, { hint: `Its columns: ${header.map((h) => JSON.stringify(h)).join(', ')}.`, column: idColumn });
  }
  if (id === undefined) {
    const free = header.filter((h) => !owner.has(headerKey(h)));
    const crmIds = new Set(customerIdColumns(config).map(headerKey));
    id = free.find((h) => /^(id|.* id)$/.test(headerKey(h)) || crmIds.has(headerKey(h))) ?? free[0];
  }
  if (id === undefined) {
    throw new UserError('prospects_no_id', 'Every column of the prospects file is a customer attribute, so none can name the prospects.', { hint: 'Add an id column, or name one with --id COLUMN.' });
  }
  const used: ProspectColumns['used'] = [];
  const ignored: ProspectColumns['ignored'] = [];
  const seen = new Set<string>();
  for (const column of header) {
    if (column === id) continue;
    const a = owner.get(headerKey(column));
    const m = a === undefined ? undefined : modelBySource.get(a.source);
    if (a === undefined) ignored.push({ column, why: 'no customer attribute in cxray.yaml reads a column of this name' });
    else if (m === undefined) {
      const why = leftOut.get(a.source);
      ignored.push({ column, why: why !== undefined ? `${a.source}: ${why}` : a.atAcquisition ? `${a.source} is not among the attributes the model uses` : `${a.source} is not marked as known at acquisition (at_acquisition: true in cxray.yaml)` });
    } else if (seen.has(a.source)) ignored.push({ column, why: `another column already gives ${a.source}` });
    else {
      seen.add(a.source);
      used.push({ column, attribute: a.source, modelAttribute: m.key });
    }
  }
  const missing = model.filter((m) => !seen.has(m.attribute.source)).map((m) => ({ modelAttribute: m.key, attribute: m.attribute.source, expected: candidates(m.attribute) }));
  return { id, used, ignored, missing };
}
