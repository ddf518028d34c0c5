import type { Method, Route } from './route.js';

/** What a request's method and path lead to. */
export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'bad_path'; detail: string };

interface CompiledPath {
  pattern: RegExp;
  names: string[];
  routes: Route[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/api/tables/{analysis}/{table}.csv` as a regular expression over the raw (still encoded) path, with its parameter names. */
export function compilePath(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split(/(\{[A-Za-z][A-Za-z0-9]*\})/)
    .map((part) => {
      const name = /^\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(part)?.[1];
      if (name === undefined) return escapeRegExp(part);
      names.push(name);
      return '([^/]+?)';
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names };
}

/** The methods a path answers, for the Allow header (HEAD wherever GET, OPTIONS everywhere). */
export function allowedMethods(routes: readonly Route[]): string[] {
  const methods = new Set<string>(routes.map((r) => r.method));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'].filter((m) => methods.has(m));
}

/**
 * Matches a method and a raw path against the route table: the route and
 * its decoded path parameters, or why none answers (no such path: 404; the
 * path exists for other methods: 405 with Allow).
 *
 * @example
 * const router = createRouter(ROUTES);
 * router.match('GET', '/api/results/profile'); // { kind: 'found', route, params: { name: 'profile' } }
 */
export function createRouter(routes: readonly Route[]): { match(method: string, rawPath: string): RouteMatch; pathsOf(rawPath: string): Route[] } {
  const compiled: CompiledPath[] = [];
  for (const route of routes) {
    const existing = compiled.find((c) => c.routes[0]?.path === route.path);
    if (existing !== undefined) {
      if (existing.routes.some((r) => r.method === route.method)) throw new Error(`route ${route.method} ${route.path} is declared twice`);
      existing.routes.push(route);
    } else {
      compiled.push({ ...compilePath(route.path), routes: [route] });
    }
  }
  const find = (rawPath: string): { entry: CompiledPath; values: string[] } | null => {
    for (const entry of compiled) {
      const m = entry.pattern.exec(rawPath);
      if (m !== null) return { entry, values: m.slice(1) };
    }
    return null;
  };
  return {
    match(method, rawPath) {
      const hit = find(rawPath);
      if (hit === null) return { kind: 'not_found' };
      const wanted = (method === 'HEAD' ? 'GET' : method) as Method;
      const route = hit.entry.routes.find((r) => r.method === wanted);
      if (route === undefined) return { kind: 'method_not_allowed', allow: allowedMethods(hit.entry.routes) };
      const params: Record<string, string> = {};
      for (const [i, name] of hit.entry.names.entries()) {
        const raw = hit.values[i] ?? '';
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          return { kind: 'bad_path', detail: `The path segment ${JSON.stringify(raw)} (${name}) is not valid percent-encoding.` };
        }
      }
      return { kind: 'found', route, params };
    },
    pathsOf(rawPath) {
      return find(rawPath)?.entry.routes ?? [];
    },
  };
}
