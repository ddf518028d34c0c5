/**
 * The written report: stored Results, the import ledger and the profile's
 * snapshot rendered as HTML, Markdown or PDF. Views render; they never compute.
 */
export { writeReport, writeReports, type ReportOptions, type ReportProgress, type ReportRequest, type WrittenReport } from './write-report.js';
export { reportFormat, writeFormat, type ReportFormat } from './write-format.js';
export { buildReportDocument, type ReportInputs } from './build-document.js';
export { renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
export { drawChart, type DrawnChart } from './chart-svg.js';
export { drawCharts, chartBlocks } from './draw-charts.js';
export { rankFindings, executiveSentence, RANKING_METHOD, type RankedFinding } from './rank-findings.js';
export { launchChromium, requireChromium, CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.js';
export type { ReportDocument, ReportSection, Block } from './document.js';
