import { readToken } from './token-store.js';

/** An error answer of the API: `{error: {code, message, hint}}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Set by the session: a token that stopped working (revoked) signs the user out. */
let onUnauthorized: ((e: ApiError) => void) | null = null;
export function setUnauthorizedHandler(fn: (e: ApiError) => void): void {
  onUnauthorized = fn;
}

/** Headers of every API call: the bearer token when signed in (never a cookie). */
export function authHeaders(token = readToken()): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: { signal?: AbortSignal; token?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...authHeaders(opts.token ?? readToken()),
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'omit',
      cache: 'no-store',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(
      0,
      'SERVER_NOT_REACHABLE',
      `cannot reach releasebot: ${(e as Error).message}`,
      'Check that `releasebot serve` runs.',
    );
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; hint?: string } } | null)?.error;
    const e = new ApiError(
      res.status,
      err?.code ?? `HTTP_${res.status}`,
      err?.message ?? res.statusText,
      err?.hint ?? '',
    );
    if (res.status === 401 && !opts.token) onUnauthorized?.(e);
    throw e;
  }
  return json as T;
}

export function apiGet<T>(path: string, opts: { signal?: AbortSignal; token?: string } = {}): Promise<T> {
  return call<T>('GET', path, undefined, opts);
}

export function apiPost<T>(path: string, body: unknown): Promise<T> {
  return call<T>('POST', path, body);
}

/** `?a=1&b=x` from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
