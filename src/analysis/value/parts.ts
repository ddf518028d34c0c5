import { channelSuffix } from '../../facts/fixed-columns.js';
import { INTERACTION_CHANNELS, type InteractionChannel } from '../../model/tables.js';

export type PartKey = 'revenue' | 'fees' | 'refunds' | 'credits' | 'cost_of_goods' | 'cost_to_serve';

/** One part of a customer's net value, as customer_facts holds it. */
export interface ValuePart {
  key: PartKey;
  /** For sentences: "fees and penalties". */
  label: string;
  /** +1 adds to net value, −1 takes from it. */
  sign: 1 | -1;
  /** The customer_facts column (the customer's total by as_of). */
  column: string;
  /** What it is, for the method. */
  definition: string;
}

/** Net value = revenue + fees − refunds − credits − cost of goods − cost to serve (customer_facts.net_value). */
export const VALUE_PARTS: readonly ValuePart[] = [
  { key: 'revenue', label: 'revenue', sign: 1, column: 'revenue', definition: 'purchase amounts' },
  { key: 'fees', label: 'fees and penalties', sign: 1, column: 'fees', definition: 'fee and penalty amounts (every category)' },
  { key: 'refunds', label: 'refunds', sign: -1, column: 'refunds', definition: 'refund amounts' },
  { key: 'credits', label: 'credits', sign: -1, column: 'credits', definition: 'credits granted' },
  { key: 'cost_of_goods', label: 'cost of goods', sign: -1, column: 'cost_of_goods', definition: 'the cost column of transactions (any kind)' },
  {
    key: 'cost_to_serve',
    label: 'cost to serve',
    sign: -1,
    column: 'cost_to_serve',
    definition: "each interaction's own cost, else its handling minutes × the channel's cost per minute, else the channel's handling cost (cxray.yaml)",
  },
];

/** Cost to serve on one interaction channel (customer_facts.cost_to_serve_<channel>). */
export interface ChannelPart {
  channel: InteractionChannel;
  /** `cost_to_serve_walk_in`: the column and the measure's key. */
  key: string;
}

export const CHANNEL_PARTS: readonly ChannelPart[] = INTERACTION_CHANNELS.map((channel) => ({ channel, key: `cost_to_serve_${channelSuffix(channel)}` }));

/** The measure key of net value in sums and tables. */
export const NET_VALUE = 'net_value';
