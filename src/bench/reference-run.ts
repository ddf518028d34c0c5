import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ReferenceFigures {
  variant: string;
  readSeconds: number;
  factsSeconds: number;
  analysisSeconds: number;
  totalSeconds: number;
  peakRssMiB: number;
  agreement: { ok: boolean; summary: string; mismatches: string[] };
}

/** The pandas reference (bench/reference) on one company, with Debian's python3. */
export async function runReference(options: { repo: string; company: string; asOf: string; variant: string; outDir: string; workspace: string | null }): Promise<ReferenceFigures> {
  await mkdir(options.outDir, { recursive: true });
  const out = join(options.outDir, 'reference.json');
  const started = performance.now();
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn('/usr/bin/python3', [join(options.repo, 'bench', 'reference', 'reference.py'), '--company', options.company, '--as-of', options.asOf, '--variant', options.variant, '--out', out], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`reference.py exited with ${code}`))));
  });
  const totalSeconds = (performance.now() - started) / 1000;
  const json = JSON.parse(await readFile(out, 'utf8')) as { timings?: Record<string, number>; peak_rss_mib?: number };
  const t = json.timings ?? {};
  const sum = (re: RegExp): number => Object.entries(t).filter(([k]) => re.test(k)).reduce((a, [, v]) => a + v, 0);
  return {
    variant: options.variant,
    readSeconds: sum(/read|validate|parse|stage/),
    factsSeconds: sum(/facts|aggregate/),
    analysisSeconds: sum(/profile|analysis/),
    totalSeconds,
    peakRssMiB: Math.round(json.peak_rss_mib ?? 0),
    agreement: { ok: false, summary: 'not checked', mismatches: [] },
  };
}
