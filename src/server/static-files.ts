import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built dashboard (`npm run build:web` writes it): dist/web of the
 * package, two folders up from this module whether it runs from dist/server
 * or src/server.
 */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** How to build it, for the status page a server shows while it is missing. */
export const DASHBOARD_BUILD_HINT = 'The dashboard is not built: run `npm run build:web` (or `npm run build`) in the cxray folder, then reload this page.';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  contentType: string;
  body: Buffer;
}

/** Whether `dir` holds a built dashboard (its index.html). */
export function dashboardBuilt(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/**
 * The path segments of a raw (still percent-encoded) URL path, or null for a
 * path that could name something outside the folder: bad encoding, a NUL, a
 * backslash, an empty, `.` or `..` segment, or a dot file.
 */
export function safeSegments(rawPath: string): string[] | null {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (!path.startsWith('/') || path.includes('\0') || path.includes('\\')) return null;
  if (path === '/') return ['index.html'];
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '' || s.startsWith('.'))) return null;
  return segments;
}

/**
 * A file of the built dashboard by its URL path (`/` is index.html), or
 * null when there is none. Nothing outside `dir` can be read: the path is
 * checked segment by segment (safeSegments), resolved, and its real path
 * (symbolic links followed) must still lie inside the folder's.
 */
export async function readStaticFile(dir: string, rawPath: string): Promise<StaticFile | null> {
  const segments = safeSegments(rawPath);
  if (segments === null) return null;
  const root = resolve(dir);
  const file = resolve(root, ...segments);
  if (!file.startsWith(root + sep)) return null;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + sep) || !(await stat(realFile)).isFile()) return null;
    return { contentType: CONTENT_TYPES[extname(realFile).toLowerCase()] ?? 'application/octet-stream', body: await readFile(realFile) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}
