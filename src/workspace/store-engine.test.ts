import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { UserError } from '../errors.js';
import { clickhouseVersionLocation, LOCAL_CLUSTER_SHARDS, storeEngineConfig } from './store-engine.js';

const withEngine = (engine: unknown) => configSchema.parse({ sources: {}, engine });

describe('storeEngineConfig', () => {
  it('is the embedded store by default and for engine: duckdb', () => {
    expect(storeEngineConfig(configSchema.parse({ sources: {} }), 'abc').kind).toBe('duckdb');
    expect(storeEngineConfig(withEngine('duckdb'), 'abc')).toEqual({ kind: 'duckdb', memoryLimit: '4GB' });
    expect(storeEngineConfig(withEngine({ duckdb: { memory_limit: '8GB' } }), 'abc')).toEqual({ kind: 'duckdb', memoryLimit: '8GB' });
  });

  it('engine: clickhouse is the local two-shard cluster, databases named after the workspace, password from the environment', () => {
    const store = storeEngineConfig(withEngine('clickhouse'), '0123456789ab', { CXRAY_CLICKHOUSE_PASSWORD: 's3cret' });
    expect(store).toMatchObject({
      kind: 'clickhouse',
      database: 'cxray_0123456789ab',
      connection: { url: LOCAL_CLUSTER_SHARDS[0], cluster: 'cxray', shards: [...LOCAL_CLUSTER_SHARDS], password: 's3cret', user: 'default' },
    });
    if (store.kind !== 'clickhouse') throw new Error('expected clickhouse');
    expect(clickhouseVersionLocation(store, 7)).toEqual({ engine: 'clickhouse', database: 'cxray_0123456789ab_v000007', localDatabase: 'cxray_0123456789ab_v000007_local' });
  });

  it('a block keeps the defaults it does not override, and reads the password from the variable it names', () => {
    const store = storeEngineConfig(withEngine({ clickhouse: { database: 'acme', password_env: 'ACME_CH' } }), 'x', { ACME_CH: 'pw', CXRAY_CLICKHOUSE_PASSWORD: 'other' });
    expect(store).toMatchObject({ kind: 'clickhouse', database: 'acme', connection: { password: 'pw', shards: [...LOCAL_CLUSTER_SHARDS] } });
  });

  it('a single server (cluster: null) has one shard and no local databases', () => {
    const store = storeEngineConfig(withEngine({ clickhouse: { url: 'http://db.internal:8123', cluster: null } }), 'id');
    expect(store).toMatchObject({ kind: 'clickhouse', connection: { url: 'http://db.internal:8123', shards: ['http://db.internal:8123'] } });
    if (store.kind !== 'clickhouse') throw new Error('expected clickhouse');
    expect(store.connection.cluster).toBeUndefined();
    expect(clickhouseVersionLocation(store, 1).localDatabase).toBeNull();
  });

  it('a remote cluster must list its shards', () => {
    const config = withEngine({ clickhouse: { url: 'http://db1.internal:8123', cluster: 'prod' } });
    expect(() => storeEngineConfig(config, 'id')).toThrow(UserError);
    expect(() => storeEngineConfig(config, 'id')).toThrow(/shards/);
    const listed = storeEngineConfig(withEngine({ clickhouse: { url: 'http://db1.internal:8123', cluster: 'prod', shards: ['http://db1.internal:8123', 'http://db2.internal:8123'] } }), 'id');
    expect(listed).toMatchObject({ connection: { cluster: 'prod', shards: ['http://db1.internal:8123', 'http://db2.internal:8123'] } });
  });

  it('refuses a database prefix that is not a plain name, and a URL that is not http', () => {
    expect(() => withEngine({ clickhouse: { database: 'x`; DROP' } })).toThrow();
    expect(() => withEngine({ clickhouse: { url: 'ftp://x' } })).toThrow();
  });
});
