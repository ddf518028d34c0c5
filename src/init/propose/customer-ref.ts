import type { ColumnProfile, FileInspection } from '../types.js';
import { dominantShape, type CustomerDirectory } from './customer-directory.js';
import { findColumns } from './roles.js';

/** How a non-customers file names its customer. */
export interface CustomerRef {
  column: ColumnProfile;
  /** Joined through the customers' e-mail key rather than their id. */
  via?: 'email';
  note: string;
}

/** The spec for cxray.yaml: a column name, or `{column, via: email}`. */
export function customerSpec(ref: CustomerRef): string | { column: string; via: string } {
  return ref.via === undefined ? ref.column.name : { column: ref.column.name, via: ref.via };
}

const ENOUGH = 0.5;

/** Ids that are mostly `0` are guest markers (WooCommerce `customer_user`), not customers. */
const mostlyZero = (c: ColumnProfile): boolean => c.values.filter((v) => v === '0').length > c.values.length * 0.3;

function emailCandidates(file: FileInspection): ColumnProfile[] {
  const named = findColumns(file, 'email', (c) => c.email);
  const shaped = file.columns.filter((c) => c.email && !named.includes(c) && !/^to /.test(c.key));
  return [...named, ...shaped];
}

/**
 * Decide the customer column. With a customers source, the candidate whose
 * sampled values are most often real customer ids wins (Zendesk's own
 * `Requester id` loses to `Requester external id` that holds the CRM id);
 * else the e-mail through the customers' `email` key (Stripe's `cus_` ids are
 * not CRM ids); else the id whose values look like the customers' ids.
 * Without a customers source, the best-named id column, else the e-mail.
 */
export async function resolveCustomerRef(file: FileInspection, directory: CustomerDirectory | undefined): Promise<CustomerRef | undefined> {
  const ids = findColumns(file, 'customerId', (c) => c.values.length > 0 && !c.email);
  const usableIds = ids.filter((c) => !mostlyZero(c));
  const emails = emailCandidates(file);

  if (directory === undefined) {
    const id = usableIds[0];
    if (id !== undefined) {
      const byName = /name|organi[sz]ation|company/.test(id.key);
      return { column: id, note: byName ? `CHECK: ${describe(id)} holds names, not ids; two customers with one name merge` : `the customer id column (${describe(id)})` };
    }
    const email = emails[0];
    if (email !== undefined) {
      return { column: email, note: 'no customer id in this file: the e-mail is the customer key (add a customers source with keys.email to match it to your CRM ids)' };
    }
    return ids[0] === undefined ? undefined : { column: ids[0], note: `the customer id column (${describe(ids[0])}); values 0 mark guests` };
  }

  const customerIds = directory.idColumn.name;
  let bestId: { c: ColumnProfile; share: number } | undefined;
  for (const c of usableIds) {
    const share = await directory.overlap(c.values, 'id');
    if (share >= ENOUGH && (bestId === undefined || share > bestId.share + 0.05)) bestId = { c, share };
  }
  if (bestId !== undefined) {
    return { column: bestId.c, note: `${pct(bestId.share)} of sampled values are ${directory.sourceName} ids (${customerIds})` };
  }
  if (directory.emailColumn !== undefined) {
    for (const c of emails) {
      const share = await directory.overlap(c.values, 'email');
      if (share >= ENOUGH) {
        const others = usableIds.length === 0 ? '' : `; ${usableIds.map((i) => `"${i.name}"`).join(', ')} did not match ${customerIds}`;
        return { column: c, via: 'email', note: `joined by e-mail: ${pct(share)} of sampled e-mails are ${directory.sourceName} e-mails${others}` };
      }
    }
  }
  const shape = dominantShape(directory.idColumn.values);
  const sameShape = usableIds.find((c) => dominantShape(c.values) === shape);
  if (sameShape !== undefined) {
    return { column: sameShape, note: `CHECK: no sampled value was found among ${directory.sourceName} ids, but the values look like ${customerIds}` };
  }
  const email = emails[0];
  if (email !== undefined && directory.emailColumn !== undefined) {
    return { column: email, via: 'email', note: `CHECK: joined by e-mail, though no sampled e-mail was found in ${directory.sourceName}` };
  }
  const id = usableIds[0] ?? ids[0];
  return id === undefined ? undefined : { column: id, note: `CHECK: no sampled value was found among ${directory.sourceName} ids (${customerIds})` };
}

const pct = (share: number): string => `${Math.round(share * 100)}%`;

function describe(c: ColumnProfile): string {
  const example = c.values[0];
  return example === undefined ? `"${c.name}"` : `"${c.name}", e.g. ${example}`;
}
