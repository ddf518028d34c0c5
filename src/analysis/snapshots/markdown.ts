import type { Snapshot } from './snapshot.js';

/** A snapshot as Markdown a manager can read or paste: what changed, the summary, the findings. */
export function snapshotMarkdown(snapshot: Snapshot): string {
  const p = snapshot.profile;
  return [
    `# Customer profile, import version ${snapshot.importVersion}, as of ${snapshot.asOf}`,
    '',
    `Snapshot ${snapshot.id}, written ${snapshot.createdAt} (cxray ${p.provenance.cxrayVersion}, config ${snapshot.configHash.slice(0, 12)}).`,
    '',
    '## What changed',
    '',
    ...(snapshot.changes.length === 0 ? ['This is the first snapshot.'] : snapshot.changes.map((c) => `- ${c}`)),
    '',
    '## Summary',
    '',
    ...p.summary.map((s) => `- ${s}`),
    '',
    '## Findings',
    '',
    ...p.findings.map((f) => `- ${f.text}`),
    ...(p.warnings.length === 0 ? [] : ['', '## Warnings', '', ...p.warnings.map((w) => `- ${w}`)]),
    '',
    '## Method',
    '',
    p.method.description,
    '',
    ...p.method.assumptions.map((a) => `- ${a}`),
    '',
  ].join('\n');
}
