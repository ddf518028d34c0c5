export { normalCdf, normalPdf, normalQuantile, normalSf } from './normal.js';
export { tCdf, tPdf, tQuantile, tSf, tTwoSidedPValue } from './student-t.js';
export { chiSquareCdf, chiSquarePdf, chiSquareQuantile, chiSquareSf } from './chi-square.js';
export { fCdf, fPdf, fQuantile, fSf } from './f-distribution.js';
export { logBeta, logGamma } from './log-gamma.js';
export { regularizedBeta } from './incomplete-beta.js';
export { regularizedGamma } from './incomplete-gamma.js';
