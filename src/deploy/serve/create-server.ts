import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Workspace } from '../../workspace/open-workspace.js';
import { ServingLog } from '../serving-log.js';
import { versionKey } from '../model-registry.js';
import { resolveServeOptions, requiresToken, type ServeOptions } from './serve-options.js';
import { chooseVersions, loadServingModel, type ServingModel } from './serving-models.js';
import { bearerMatches, ensureServeToken } from './serve-token.js';
import { errorReply } from './http-errors.js';
import { predictPath, registerPredictRoute, type Recorder, type Tracker } from './predict-route.js';
import { servedInfo } from './served-info.js';
import { openApiDocument } from './openapi-document.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The model versions this server serves (set by createServer). */
    readonly fathomModels: readonly ServingModel[];
  }
}

export type { ServeOptions, AuthMode } from './serve-options.js';
export type { ServingModel } from './serving-models.js';

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

export interface ServerContext {
  /** Where the vault's passphrase may be typed when FATHOM_MASTER_KEY is not set (token auth only). */
  readonly stdin?: Stdin;
  /** Warnings a person should see (a source unreachable at startup, a serving log write failing, a 500). */
  readonly warn?: (message: string) => void;
}

// Fastify's defaults coerce types ("17" passes as 17) and silently drop unknown fields; a
// prediction API must refuse both, naming the field. allErrors stays off: Ajv stops at the
// first error, so a huge bad request costs little.
const AJV_OPTIONS = {
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  allErrors: false,
  allowUnionTypes: true,
} as const;

const ROUTES = 'GET /health, GET /v1/models, GET /openapi.json, POST /v1/models/{name}/predict';

/**
 * A Fastify server predicting with registered models: the production version of each, or the
 * versions `options.models` names. The caller listens (`listen({ host: options.host, port })`:
 * the host decides `auth: auto`) and closes it; close() finishes in-flight requests, then
 * flushes the serving log and closes the scoring engines.
 */
export async function createServer(
  ws: Workspace,
  given: Partial<ServeOptions> = {},
  context: ServerContext = {},
): Promise<FastifyInstance> {
  const options = resolveServeOptions(given);
  const warn = context.warn ?? ((m: string) => process.stderr.write(`fathom serve: ${m}\n`));
  const versions = await chooseVersions(ws, options.models);
  const token = requiresToken(options)
    ? (await ensureServeToken(await ws.vault(context.stdin ?? process.stdin))).token
    : null;
  const models = await Promise.all(versions.map((v) => loadServingModel(ws, v, options.maxRows)));
  await Promise.all(
    models.map(async (m) => {
      const failed = await m.engine?.warm();
      if (failed)
        warn(
          `${m.served.version.name}: entity requests will answer 503 until its source can be read (${failed.message}); feature rows work`,
        );
    }),
  );
  const startedAt = Date.now();
  const app = Fastify({
    logger: options.logRequests ? { level: 'info', stream: process.stderr } : false,
    ajv: { customOptions: AJV_OPTIONS },
    forceCloseConnections: 'idle',
  });

  app.decorate('fathomModels', models);
  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = errorReply(err);
    if (status >= 500) warn(`${status}: ${body.error}`);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const m = /^\/v1\/models\/([^/?]+)\/predict(?:\?|$)/.exec(req.url);
    const served = models.map((x) => x.served.version.name);
    if (m) {
      const name = safeDecode(m[1]!);
      return reply.code(404).send({
        error: `No model named ${JSON.stringify(name)} is served here`,
        served,
        hint: `Served: ${served.map((n) => `POST ${predictPath(n)}`).join(', ')}`,
      });
    }
    return reply
      .code(404)
      .send({ error: `No route ${req.method} ${req.url.split('?')[0]}`, hint: `Routes: ${ROUTES}` });
  });
  if (token !== null) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.url === '/health' || req.url.startsWith('/health?')) return;
      if (!bearerMatches(req.headers.authorization, token)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({
          error: 'missing or wrong bearer token',
          hint: 'Send Authorization: Bearer TOKEN; the token is written for clients by: fathom serve --token-file FILE',
        });
      }
    });
  }

  const log = ServingLog.open(ws);
  const pending = new Set<Promise<unknown>>();
  const track: Tracker = (work) => {
    pending.add(work);
    void work.then(
      () => pending.delete(work),
      () => pending.delete(work),
    );
    return work;
  };
  let logFailed = false;
  const record: Recorder = (m, mode, entities, data, predictions) => {
    // After the answer is written: the log line of a row costs more than its prediction
    // (100-row requests: 17% of the server's CPU in ServingLog.record).
    const p = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => log.record(m.served, mode, m.pii, entities, data, predictions))
      .catch((err: unknown) => {
        // One warning, not one per request: a full disk would otherwise flood stderr.
        if (!logFailed)
          warn(
            `serving log: could not write (${err instanceof Error ? err.message : String(err)}); predictions are still answered`,
          );
        logFailed = true;
      });
    void track(p);
  };

  for (const m of models) registerPredictRoute(app, m, { maxRows: options.maxRows, record, track });
  app.get('/health', async () => ({
    ok: true,
    models: models.map((m) => versionKey(m.served.version.name, m.served.version.version)),
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  }));
  app.get('/v1/models', async () => ({ models: models.map(servedInfo) }));
  const openapi = openApiDocument(models, {
    maxRows: options.maxRows,
    auth: token !== null,
    version: packageVersion(),
  });
  app.get('/openapi.json', async () => openapi);

  // Answers finished while closing end their connection: a client's keep-alive connection
  // would otherwise hold close() open until Fastify's keep-alive timeout (72 s).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => {
    // Handlers still running add their log records as they finish: wait until none is left.
    while (pending.size > 0) await Promise.allSettled([...pending]);
    await log.close();
    await Promise.all(models.map((m: ServingModel) => m.engine?.close()));
  });
  return app;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray % is shown as sent
  }
}

function packageVersion(): string {
  return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
}
