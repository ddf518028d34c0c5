export { extractThemes } from './extract-themes.js';
export type {
  AssignmentStatus,
  ExtractThemesOptions,
  Theme,
  ThemeAssignment,
  ThemeComment,
  ThemeExtraction,
  ThemePhrase,
  ThemePolarity,
} from './theme-types.js';
export type { ConceptDefinition, ConceptOverride } from './concept-definition.js';
export { BUILTIN_CONCEPTS } from './builtin-concepts.js';
export { resolveConcepts } from './resolve-concepts.js';
export { themePurity } from './purity.js';
export type { PurityReport } from './purity.js';
export { readsAsEnglish } from './language.js';
export type { Polarity } from './polarity.js';
