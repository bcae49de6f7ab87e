// The public HTTP API (docs/openapi.json), nothing else: the ID token as the bearer, JSON in and
// out, an error as the API words it (its message and each field it names).
import type { ConsoleConfig } from '../csp';
import type { Session } from './auth';

/** A field the API refused: its path in the body (`emails.0`, `streets.3.name.zh`) and why. */
export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** The fields the API named (a 422's `issues`), for a form to show beside each field. */
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string, query?: Record<string, string | undefined>): Promise<T>;
  send<T>(
    method: 'POST' | 'PATCH' | 'PUT',
    path: string,
    body?: unknown,
    options?: { idempotent?: boolean; contentType?: string },
  ): Promise<T>;
  /** A page the API renders (the activity report). */
  text(path: string): Promise<string>;
  /** A URL of the API with the query (CSV downloads go through fetch, with the token). */
  download(
    path: string,
    query: Record<string, string | undefined>,
    filename: string,
  ): Promise<void>;
}

const queryString = (query: Record<string, string | undefined> = {}) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
};

async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let issues: FieldIssue[] = [];
  try {
    const body = (await res.json()) as {
      message?: string;
      issues?: { path?: string; message?: string }[];
      rows?: { line: number; field: string; message: string }[];
    };
    // A roster's errors name the line and the column; other errors the field.
    const details = body.rows
      ? body.rows.map((e) => `第 ${e.line} 行 line ${e.line} ${e.field}: ${e.message}`)
      : (body.issues ?? []).map((e) => `${e.path ?? ''} ${e.message ?? ''}`.trim());
    message = [body.message, ...details].filter(Boolean).join('\n') || message;
    issues = (body.issues ?? []).flatMap((e) =>
      e.message ? [{ path: e.path ?? '', message: e.message }] : [],
    );
  } catch {
    // not JSON: the status says it
  }
  return new ApiError(res.status, message, issues);
}

export function createApi(config: ConsoleConfig, session: () => Session | undefined): Api {
  const headers = (): Record<string, string> => {
    const s = session();
    return s ? { authorization: `Bearer ${s.idToken}` } : {};
  };
  return {
    async get<T>(path: string, query?: Record<string, string | undefined>) {
      const res = await fetch(`${config.apiUrl}${path}${queryString(query)}`, {
        headers: headers(),
      });
      if (!res.ok) throw await errorOf(res);
      return (await res.json()) as T;
    },
    async send<T>(
      method: 'POST' | 'PATCH' | 'PUT',
      path: string,
      body?: unknown,
      options: { idempotent?: boolean; contentType?: string } = {},
    ) {
      const contentType = options.contentType ?? 'application/json';
      const res = await fetch(`${config.apiUrl}${path}`, {
        method,
        headers: {
          ...headers(),
          ...(body === undefined ? {} : { 'content-type': contentType }),
          ...(options.idempotent ? { 'idempotency-key': crypto.randomUUID() } : {}),
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      if (!res.ok) throw await errorOf(res);
      const text = await res.text();
      return (text ? JSON.parse(text) : {}) as T;
    },
    async text(path) {
      const res = await fetch(`${config.apiUrl}${path}`, { headers: headers() });
      if (!res.ok) throw await errorOf(res);
      return res.text();
    },
    async download(path, query, filename) {
      const res = await fetch(`${config.apiUrl}${path}${queryString(query)}`, {
        headers: headers(),
      });
      if (!res.ok) throw await errorOf(res);
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
      URL.revokeObjectURL(url);
    },
  };
}
