import type { CxrayConfig } from '../config/schema.js';
import type { CanonicalType } from '../engine/types.js';
import {
  BEHAVIOUR_COUNT_COLUMNS,
  COST_COLUMNS,
  CUSTOMER_COLUMNS,
  CUSTOMER_KEY_COLUMNS,
  INTERACTION_COUNT_COLUMNS,
  MONEY_COLUMNS,
  MONEY_UNIT,
  PURCHASE_COLUMNS,
  REFERRAL_COLUMNS,
  STATUS_COLUMNS,
  SURVEY_COLUMNS,
  VALUE_COLUMNS,
} from './fixed-columns.js';
import { planFactsLayout, type FactsLayout } from './layout.js';
import type { FactsColumn } from './types.js';

/**
 * The column catalogue of `customer_facts`, in table order, with units and
 * descriptions. Fee and behaviour columns follow the config; attribute
 * columns follow the customers table (pass them when known).
 *
 * @example
 * const columns = customerFactsColumns(config, [{ name: 'segment', type: 'string' }]);
 * columns.find((c) => c.name === 'net_value')?.unit; // 'USD'
 */
export function customerFactsColumns(
  config: Pick<CxrayConfig, 'fees' | 'behaviours' | 'currency'>,
  attributes: readonly { name: string; type: CanonicalType }[] = [],
): FactsColumn[] {
  return catalogueOf(planFactsLayout(config, attributes), config.currency);
}

export function catalogueOf(layout: FactsLayout, currency: string): FactsColumn[] {
  const attributes = layout.attributes.map(
    (a): FactsColumn => ({
      name: a.name,
      type: a.type,
      unit: null,
      nullable: true,
      table: 'customers',
      description: a.name === a.source ? `Customer attribute ${a.source}, copied.` : `Customer attribute ${a.source}, copied (renamed: a facts column has its name).`,
    }),
  );
  const fees = layout.fees.map(
    (f): FactsColumn => ({
      name: f.name,
      type: 'money',
      unit: MONEY_UNIT,
      nullable: false,
      table: 'transactions',
      description: `Sum of fees of category ${JSON.stringify(f.category)}${f.label === undefined ? '' : ` (${f.label})`} dated by as_of.`,
    }),
  );
  const behaviours = layout.behaviours.flatMap((b): FactsColumn[] => {
    const what = b.label === undefined ? b.key : `${b.key} (${b.label})`;
    const how = [
      b.event === undefined ? undefined : `a behaviour event ${JSON.stringify(b.event)} seen by as_of`,
      b.attribute === undefined ? undefined : `attribute ${b.attribute} in ${JSON.stringify(b.values)}`,
    ]
      .filter((x) => x !== undefined)
      .join(', or ');
    return [
      { name: b.flag, type: 'boolean', unit: null, nullable: false, table: b.event === undefined ? 'customers' : 'behaviour_events', description: `Adopted ${what}: ${how}.` },
      {
        name: b.at,
        type: 'timestamp',
        unit: null,
        nullable: true,
        table: 'behaviour_events',
        description: b.event === undefined ? `Always NULL: ${b.key} is read from an attribute, which has no date.` : `When ${b.key} was first seen (UTC).`,
      },
    ];
  });
  return [
    ...CUSTOMER_KEY_COLUMNS,
    ...attributes,
    ...CUSTOMER_COLUMNS,
    ...MONEY_COLUMNS,
    ...fees,
    ...PURCHASE_COLUMNS,
    ...INTERACTION_COUNT_COLUMNS,
    ...COST_COLUMNS,
    ...VALUE_COLUMNS,
    ...SURVEY_COLUMNS,
    ...behaviours,
    ...BEHAVIOUR_COUNT_COLUMNS,
    ...REFERRAL_COLUMNS,
    ...STATUS_COLUMNS,
  ].map((col) => (col.unit === MONEY_UNIT ? { ...col, unit: currency } : { ...col }));
}
