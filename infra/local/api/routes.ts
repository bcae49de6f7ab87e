// Route selection of an HTTP API: the most specific route wins, `$default` catches the rest.
export interface RouteMatch<R> {
  route: R;
  routeKey: string;
  pathParameters: Record<string, string>;
}

interface Compiled<R> {
  route: R;
  routeKey: string;
  method: string;
  segments: string[];
  greedy: boolean;
}

export class InvalidRouteKeyError extends Error {
  override name = 'InvalidRouteKeyError';
}

// "/a/b" → ["a", "b"]; "/" → [""]; a trailing slash keeps its empty segment.
function splitPath(path: string): string[] {
  return path.replace(/^\//, '').split('/');
}

function isParam(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

function compile<R>(route: R, routeKey: string): Compiled<R> {
  const m = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  if (!m)
    throw new InvalidRouteKeyError(`route key ${JSON.stringify(routeKey)} is not "METHOD /path"`);
  const segments = splitPath(m[2] ?? '/');
  const last = segments[segments.length - 1] ?? '';
  const greedy = /^\{[^}]+\+\}$/.test(last);
  if (segments.slice(0, -1).some((s) => /\+\}$/.test(s))) {
    throw new InvalidRouteKeyError(`${routeKey}: a greedy variable must be the last segment`);
  }
  return { route, routeKey, method: m[1] ?? 'ANY', segments, greedy };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchPath<R>(c: Compiled<R>, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const fixed = c.greedy ? c.segments.slice(0, -1) : c.segments;
  if (c.greedy ? parts.length <= fixed.length : parts.length !== fixed.length) return undefined;
  for (const [i, seg] of fixed.entries()) {
    const part = parts[i] ?? '';
    if (isParam(seg)) {
      if (part === '') return undefined;
      params[seg.slice(1, -1)] = decode(part);
    } else if (seg !== part) {
      return undefined;
    }
  }
  if (c.greedy) {
    const name = (c.segments[c.segments.length - 1] ?? '').slice(1, -2);
    const rest = parts.slice(fixed.length).map(decode).join('/');
    if (rest === '') return undefined;
    params[name] = rest;
  }
  return params;
}

// Higher ranks first: non-greedy before greedy, then literal segments before variables
// (compared left to right), then a longer greedy prefix, then a named method before ANY.
function compareSpecificity<R>(a: Compiled<R>, b: Compiled<R>): number {
  if (a.greedy !== b.greedy) return a.greedy ? 1 : -1;
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const sa = a.segments[i];
    const sb = b.segments[i];
    if (sa === undefined || sb === undefined) return sa === undefined ? 1 : -1;
    const la = !isParam(sa);
    const lb = !isParam(sb);
    if (la !== lb) return la ? -1 : 1;
  }
  if (a.method !== b.method) return a.method === 'ANY' ? 1 : b.method === 'ANY' ? -1 : 0;
  return 0;
}

export class Router<R> {
  private readonly routes: Compiled<R>[];
  private readonly fallback?: R;

  constructor(routes: { routeKey: string; route: R }[]) {
    this.routes = routes
      .filter((r) => r.routeKey !== '$default')
      .map((r) => compile(r.route, r.routeKey))
      .sort(compareSpecificity);
    this.fallback = routes.find((r) => r.routeKey === '$default')?.route;
  }

  match(method: string, rawPath: string): RouteMatch<R> | undefined {
    const parts = splitPath(rawPath.split('?')[0] ?? '/');
    for (const c of this.routes) {
      if (c.method !== 'ANY' && c.method !== method.toUpperCase()) continue;
      const params = matchPath(c, parts);
      if (params) return { route: c.route, routeKey: c.routeKey, pathParameters: params };
    }
    return this.fallback === undefined
      ? undefined
      : { route: this.fallback, routeKey: '$default', pathParameters: {} };
  }
}
