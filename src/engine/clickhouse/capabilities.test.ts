import { describe, expect, it } from 'vitest';
import { clickhouseCapabilities, parseServerVersion } from './capabilities.js';

describe('ClickHouse capabilities from the server version', () => {
  it('declares the 18.16 limits and turns features on at the versions that brought them', () => {
    const old = clickhouseCapabilities(parseServerVersion('18.16.1'), true);
    expect(old).toMatchObject({
      boundParameters: false,
      windowFunctions: false,
      commonTableExpressions: false,
      multipleJoinsPerSelect: false,
      transactions: false,
      cancellation: true,
      timestampsBefore1970: false,
      subsecondTimestamps: false,
      distributed: true,
      nullableLists: false,
      booleanExpressions: false,
      positionalReferences: false,
    });
    const newer = clickhouseCapabilities(parseServerVersion('22.8.5.29'), false);
    expect(newer).toMatchObject({ windowFunctions: true, commonTableExpressions: true, multipleJoinsPerSelect: true, positionalReferences: true, distributed: false });
    expect(clickhouseCapabilities(parseServerVersion('21.8.1'), false).windowFunctions).toBe(false);
    expect(() => parseServerVersion('unknown')).toThrow(TypeError);
  });
});
