import type { ApiClient } from './api-client.js';
import type { Result } from './api-types.js';
import type { ChartBoard } from './chart-view.js';
import type { Filter } from './filter.js';
import type { Route } from './router.js';
import type { SegmentLinks } from './segment-links.js';
import type { TableContext } from './table-view.js';

/** What a page renders with: the client, where it is, the filter, its charts, the drill-down rules and the analyses' titles. */
export interface PageContext extends TableContext {
  client: ApiClient;
  route: Route;
  filter: Filter;
  charts: ChartBoard;
  links: SegmentLinks | null;
  titles: ReadonlyMap<string, string>;
}

/** A Result, or why it could not be had. */
export type Loaded = { ok: true; result: Result } | { ok: false; error: unknown };

/** The Results a page shows, asked for at once with the page's filter. */
export async function loadResults<N extends string>(ctx: PageContext, names: readonly N[]): Promise<Record<N, Loaded>> {
  const answers = await Promise.all(
    names.map((name) =>
      ctx.client.result(name, ctx.filter).then(
        (result): Loaded => ({ ok: true, result }),
        (error: unknown): Loaded => ({ ok: false, error }),
      ),
    ),
  );
  return Object.fromEntries(names.map((name, i) => [name, answers[i]])) as Record<N, Loaded>;
}

/** The Result when it ran, else null (its section says why). */
export function okResult(loaded: Loaded | undefined): Result | null {
  return loaded !== undefined && loaded.ok && loaded.result.status === 'ok' ? loaded.result : null;
}
