export type { Engine, Capabilities, ColumnInfo, Row, RowValue, SqlParams, SqlValue, CanonicalType } from './types.js';
export type { SqlDialect, TimeUnit } from './dialect.js';
export type { ColumnSpec } from './dialect.js';
