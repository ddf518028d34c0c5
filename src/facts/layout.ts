import type { CxrayConfig } from '../config/schema.js';
import type { CanonicalType } from '../engine/types.js';
import { UserError } from '../errors.js';
import { ColumnNames, snakeCase } from './column-names.js';
import { FIXED_COLUMN_NAMES } from './fixed-columns.js';

export type AttributeValue = string | number | boolean | null;

export interface FeeColumn {
  /** `transactions.category` text, matched exactly. */
  category: string;
  name: string;
  label: string | undefined;
}

export interface BehaviourColumns {
  key: string;
  label: string | undefined;
  flag: string;
  at: string;
  event: string | undefined;
  attribute: string | undefined;
  values: readonly AttributeValue[];
}

export interface AttributeColumn {
  /** The column in `customers`. */
  source: string;
  /** The column in `customer_facts` (renamed only when a facts column has its name). */
  name: string;
  type: CanonicalType;
}

/** The config-dependent part of `customer_facts`: every dynamic column and its name. */
export interface FactsLayout {
  fees: FeeColumn[];
  behaviours: BehaviourColumns[];
  attributes: AttributeColumn[];
}

export type LayoutConfig = Pick<CxrayConfig, 'fees' | 'behaviours'>;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Names are claimed in a fixed order (fixed columns, fees by category text,
 * behaviours by key, attributes in table order) so that a collision always
 * resolves the same way, whatever order the yaml lists things in.
 */
export function planFactsLayout(config: LayoutConfig, attributes: readonly { name: string; type: CanonicalType }[] = []): FactsLayout {
  const names = new ColumnNames();
  for (const name of FIXED_COLUMN_NAMES) names.claim(name);

  const fees = Object.keys(config.fees)
    .sort(byCodeUnits)
    .map((category) => ({ category, name: names.claim(`fee_${snakeCase(category)}`), label: config.fees[category]?.label }));

  const behaviours = Object.keys(config.behaviours)
    .sort(byCodeUnits)
    .map((key): BehaviourColumns => {
      const spec = config.behaviours[key];
      if (spec === undefined) throw new Error(`behaviour ${key} vanished`);
      if (spec.event === undefined && spec.attribute === undefined) {
        throw new UserError('behaviour_undefined', `The behaviour ${key} names neither an event nor an attribute.`, {
          hint: `Under behaviours.${key} in cxray.yaml, add \`event: <behaviour event name>\` or \`attribute: <customer attribute>\` with \`values: [...]\`.`,
        });
      }
      if (spec.attribute !== undefined && (spec.values === undefined || spec.values.length === 0)) {
        throw new UserError('behaviour_values_missing', `The behaviour ${key} names the attribute ${spec.attribute} but no values.`, {
          hint: `Under behaviours.${key} in cxray.yaml, list the attribute values that mean adoption, e.g. \`values: [yes]\`.`,
        });
      }
      return {
        key,
        label: spec.label,
        flag: names.claim(`adopted_${key}`),
        at: names.claim(`adopted_${key}_at`),
        event: spec.event,
        attribute: spec.attribute,
        values: spec.values ?? [],
      };
    });

  const attributeColumns = attributes.map((attribute) => ({
    source: attribute.name,
    name: names.has(attribute.name) ? names.claim(`attribute_${attribute.name}`) : names.claim(attribute.name),
    type: attribute.type,
  }));

  return { fees, behaviours, attributes: attributeColumns };
}
