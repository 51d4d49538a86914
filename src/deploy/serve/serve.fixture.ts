import type { FastifyInstance } from 'fastify';

/** A JSON answer from a test server: status, parsed body, headers. */
export interface JsonAnswer<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Listen on a free loopback port (real HTTP, as clients see it) and return the base URL. */
export async function listenLocal(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  if (a === null || typeof a === 'string') throw new Error('the server has no TCP address');
  return `http://127.0.0.1:${a.port}`;
}

/** POST a JSON body (an object, or raw text sent as is) and parse the JSON answer. */
export async function postJson<T = any>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer<T>> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as T, headers: r.headers };
}

export async function getJson<T = any>(url: string, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
  const r = await fetch(url, { headers });
  return { status: r.status, body: (await r.json()) as T, headers: r.headers };
}
