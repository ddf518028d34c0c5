/**
 * Python 3's `round(x, ndigits)` for floats: the exact binary value of `x` is
 * rounded to `ndigits` decimals, ties (exact binary halves only) to even, and
 * the decimal is read back as the nearest double. `toFixed` and
 * `Math.round(x * 10 ** n) / 10 ** n` differ on ties (they round half up) and
 * the latter also on values whose scaling is inexact, so VADER's published
 * scores would drift in the last place without this.
 *
 * @example pythonRound(0.0625, 3) // 0.062, where (0.0625).toFixed(3) is '0.063'
 */
export function pythonRound(x: number, ndigits: number): number {
  if (!Number.isInteger(ndigits) || ndigits < 0) throw new RangeError(`ndigits must be a non-negative integer, got ${ndigits}`);
  if (!Number.isFinite(x) || x === 0) return x;
  const negative = x < 0;
  const { mantissa, exponent } = decompose(Math.abs(x));
  let numerator = mantissa * 10n ** BigInt(ndigits);
  let denominator = 1n;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  let quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator - quotient * denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && (quotient & 1n) === 1n)) quotient += 1n;
  const digits = quotient.toString().padStart(ndigits + 1, '0');
  const decimal = ndigits === 0 ? digits : `${digits.slice(0, digits.length - ndigits)}.${digits.slice(digits.length - ndigits)}`;
  const magnitude = Number(decimal);
  return negative ? -magnitude : magnitude;
}

/** A positive finite double as mantissa * 2^exponent, both exact. */
function decompose(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}
