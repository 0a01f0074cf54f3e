/** A small HTTP client over fastify.inject for the API suites. */
import type { TestApp } from '../support/app.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface CallResult {
  status: number;
  body: any;
  raw: string;
}

export function client(t: TestApp) {
  const call = async (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<CallResult> => {
    const res = await t.server.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      headers: { authorization: `Bearer ${t.apiKey}`, ...headers },
    });
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json(), raw: res.body };
  };
  const ok = async (method: Method, url: string, payload?: unknown, headers?: Record<string, string>) => {
    const r = await call(method, url, payload, headers);
    if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${r.raw}`);
    return r.body;
  };
  return { call, ok };
}
