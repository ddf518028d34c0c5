export type { CompareOp, Literal, SegmentExpr } from './ast.js';
export { SEGMENT_LIMITS } from './ast.js';
export { parseSegment } from './parser.js';
export { resolveSegment, type ResolvedSegment, type SegmentColumn, type SegmentValue } from './resolve.js';
export { compileSegment } from './compile.js';
export { formatSegment } from './format.js';
export { segmentCondition, type SegmentCondition } from './segment-condition.js';
