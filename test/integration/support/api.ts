// A fetch wrapper for the local HTTP API, signed in as a role (or anonymous with null).
import { localCloud } from './cloud';
import { mintToken, type MintOptions, type Role } from './token';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** The body decoded as UTF-8 (a leading byte order mark dropped, as fetch's text() does). */
  text: string;
  /** The body as sent, byte for byte (a CSV's byte order mark included). */
  bytes: Uint8Array;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: T;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiClient {
  request<T = unknown>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  post<T = unknown>(
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
}

export function api(who: Role | MintOptions | null): ApiClient {
  let token: Promise<string> | undefined;
  const request = async <T>(method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (who !== null && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      token ??= mintToken(who);
      headers.authorization = `Bearer ${await token}`;
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${localCloud().api}${path}`, { method, headers, body });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, bytes, json: json as T };
  };
  return {
    request,
    get: (path, headers) => request('GET', path, headers ? { headers } : {}),
    post: (path, body, headers) => request('POST', path, { body, ...(headers ? { headers } : {}) }),
  };
}

/** The API as the deputy `deputyId` (the token's subject is the deputy's id, as sign-in gives). */
export const deputyApi = (deputyId: string): ApiClient => api({ role: 'deputy', sub: deputyId });
