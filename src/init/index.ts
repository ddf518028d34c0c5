// `cxray init`: recognise exports and propose cxray.yaml.
export { initWorkspace, type InitOptions, type InitResult } from './init-workspace.js';
export { inspectFile, type InspectionNotes } from './read/inspect-file.js';
export { recognise } from './recognise/recognise.js';
export { FINGERPRINTS, type Fingerprint } from './recognise/fingerprints.js';
export type { ColumnProfile, FileInspection, Recognition } from './types.js';
