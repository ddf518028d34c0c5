import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard's build: web/ into dist/web/, one script and one style
 * sheet, no source maps (the bundle holds vega and vega-lite; maps would
 * triple it). `cxray serve` serves the folder at /.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web/', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // vega + vega-lite make one large script on purpose (one request, no code splitting to get wrong).
    chunkSizeWarningLimit: 2500,
    modulePreload: { polyfill: false },
    rollupOptions: {
      onwarn(warning, warn) {
        // src/report/chart-svg.ts (shared for specHazard) loads vega lazily for the report; here vega is in the one bundle anyway.
        if (warning.message.includes('is dynamically imported by') && warning.message.includes('chart-svg.ts')) return;
        warn(warning);
      },
    },
  },
});
