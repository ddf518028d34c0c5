import { launchChromium } from './browser.js';

/** What the printed pages carry at their foot: page numbers only (the template is Chromium's, not the report's). */
const FOOTER = '<div style="font-size:8px;width:100%;text-align:center;color:#5b6475;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>';

/**
 * Prints the report's HTML to PDF in headless Chromium. The page is set
 * from the string (no file, no server) and every request it might make is
 * aborted, so printing reaches nothing outside the document.
 */
export async function printPdf(html: string, options: { chromiumPath?: string } = {}): Promise<Buffer> {
  const browser = await launchChromium(options.chromiumPath);
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort('blockedbyclient'));
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, displayHeaderFooter: true, headerTemplate: '<div></div>', footerTemplate: FOOTER });
  } finally {
    await browser.close();
  }
}
