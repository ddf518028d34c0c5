import type { CxrayConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import { INTERACTION_CHANNELS, type InteractionChannel } from '../model/tables.js';
import { snakeCase } from './column-names.js';
import type { FactsSqlContext } from './facts-part.js';

type RateTable = Record<string, number>;
type RateKey = 'handling_cost' | 'handling_cost_per_minute';

/** Config keys may name a channel as written (`walk-in`) or as a column suffix (`walk_in`). */
function rateFor(rates: RateTable, channel: InteractionChannel | 'default'): number | undefined {
  return rates[channel] ?? rates[snakeCase(channel)] ?? (channel === 'default' ? undefined : rates['default']);
}

/** A rate for a channel that does not exist is a typo that would silently cost nothing: refuse it. */
export function assertChannelRates(config: Pick<CxrayConfig, RateKey>): void {
  assertKnownChannels(config, 'handling_cost');
  assertKnownChannels(config, 'handling_cost_per_minute');
}

function assertKnownChannels(config: Pick<CxrayConfig, RateKey>, key: RateKey): void {
  const known = new Set<string>(['default', ...INTERACTION_CHANNELS, ...INTERACTION_CHANNELS.map(snakeCase)]);
  for (const name of Object.keys(config[key])) {
    if (!known.has(name)) {
      throw new UserError('unknown_channel', `${key} names the channel ${JSON.stringify(name)}, which is not an interaction channel.`, {
        hint: `Use one of ${['default', ...INTERACTION_CHANNELS].join(', ')} under ${key} in cxray.yaml.`,
      });
    }
  }
}

/** Exact decimal text of a config number (no exponent), for a cast to money. */
function decimalText(value: number): string {
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(12) : text;
}

/**
 * Cost of one interaction row of a known channel ('default' for a channel the
 * config does not know): its own cost, else minutes x per-minute rate, else
 * the flat handling cost, else 0. Minutes and rates are cast to money before
 * multiplying, so the product is exact decimal arithmetic.
 */
export function interactionCost(ctx: FactsSqlContext, channel: InteractionChannel | 'default'): string {
  const { d, values, config } = ctx;
  const col = (name: string): string => ctx.tables.column('interactions', name);
  const money = (value: number): string => d.toMoney(values.bind(decimalText(value)));
  const branches = [col('cost')];
  const perMinute = rateFor(config.handling_cost_per_minute, channel);
  if (perMinute !== undefined) branches.push(d.toMoney(`${d.toMoney(col('handling_minutes'))} * ${money(perMinute)}`));
  const flat = rateFor(config.handling_cost, channel);
  if (flat !== undefined) branches.push(money(flat));
  branches.push(d.toMoney('0'));
  return `COALESCE(${branches.join(', ')})`;
}
