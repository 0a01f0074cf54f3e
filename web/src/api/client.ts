/**
 * The web app's only way to the server: same-origin fetch with the session cookie, typed by the
 * OpenAPI document (schema.d.ts, `npm run gen:api`). Writes carry the session's CSRF token (the server
 * refuses cookie-authenticated writes without it) and a fresh Idempotency-Key, so a retried click
 * never does the thing twice. A failure becomes an ApiError with the API's code, message and param,
 * so a form can show the message next to the field the API names.
 */
import type { components, paths } from './schema';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The paths that have an operation for this method. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];

type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type ParamsOf<Op> = Op extends { parameters: infer Ps } ? Ps : never;
type PathParams<Op> = ParamsOf<Op> extends { path: infer X } ? ([X] extends [never | undefined] ? never : X) : never;
type QueryParams<Op> = ParamsOf<Op> extends { query?: infer X } ? ([X] extends [never | undefined] ? never : X) : never;
type BodyOf<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The JSON of the operation's success response (200 or 201). */
export type ResponseOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { responses: infer R }
    ? R extends { 200: { content: { 'application/json': infer J } } }
      ? J
      : R extends { 201: { content: { 'application/json': infer J } } }
        ? J
        : unknown
    : never;

export interface RequestOptions<P extends keyof paths, M extends Method> {
  path?: PathParams<Operation<P, M>>;
  query?: QueryParams<Operation<P, M>>;
  body?: BodyOf<Operation<P, M>>;
  signal?: AbortSignal;
}

/** A refused or failed request, as the API described it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The field the API names (a dotted path such as "lines.0.quantity"), or null. */
    readonly param: string | null,
    readonly type: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The session's CSRF token (from the login or GET /v1/auth/session), sent with every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API answers 401 to a signed-in request (the session ended): back to the login page. */
export function onSessionEnded(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/**
 * A random UUID for Idempotency-Key. crypto.randomUUID exists only in secure contexts (https or
 * localhost); a server reached over plain http on the LAN still gets a v4 UUID from getRandomValues.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** "/v1/customers/{id}" + { id: "cus_1" } → "/v1/customers/cus_1" (each value URL-encoded). */
export function fillPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new Error(`Missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(v));
  });
}

/** A URL of the API with its query string (undefined values left out), for links such as PDF downloads. */
export function apiUrl(template: string, path?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const url = fillPath(template, path);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) qs.set(k, String(v));
  const s = qs.toString();
  return s === '' ? url : `${url}?${s}`;
}

export async function request<M extends Method, P extends PathsWith<M>>(method: M, template: P, options: RequestOptions<P, M> = {}): Promise<ResponseOf<P, M>> {
  const url = apiUrl(template, options.path as Record<string, unknown> | undefined, options.query as Record<string, unknown> | undefined);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'get') {
    if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
    headers['idempotency-key'] = newIdempotencyKey();
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method: method.toUpperCase(),
      credentials: 'same-origin',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The server could not be reached', null, 'api_error');
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; param?: string | null; type?: string } } | undefined)?.error;
    if (res.status === 401 && template !== '/v1/auth/login' && onUnauthenticated !== null) onUnauthenticated();
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `${res.status} ${res.statusText}`, e?.param ?? null, e?.type ?? 'api_error');
  }
  return json as ResponseOf<P, M>;
}

export const api = {
  get: <P extends PathsWith<'get'>>(path: P, options?: RequestOptions<P, 'get'>) => request('get', path, options),
  post: <P extends PathsWith<'post'>>(path: P, options?: RequestOptions<P, 'post'>) => request('post', path, options),
  patch: <P extends PathsWith<'patch'>>(path: P, options?: RequestOptions<P, 'patch'>) => request('patch', path, options),
  delete: <P extends PathsWith<'delete'>>(path: P, options?: RequestOptions<P, 'delete'>) => request('delete', path, options),
};

export type Schemas = components['schemas'];
