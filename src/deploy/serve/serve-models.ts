import { hostname } from 'node:os';
import type { Workspace } from '../../workspace/open-workspace.js';
import type { Engine } from '../../engine/engine.js';
import { FathomError } from '../../util/fathom-error.js';
import { reviewer } from '../../metadata/metadata-state.js';
import { recordDeployment, type Deployment } from '../deployments.js';
import { versionKey, type Stage } from '../model-registry.js';
import { isLoopback, requiresToken, resolveServeOptions, type ServeOptions } from './serve-options.js';
import { ensureServeToken, writeTokenFile } from './serve-token.js';
import { exampleBody } from './example-request.js';
import { predictPath } from './predict-route.js';

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

export interface ServeRequest extends Partial<ServeOptions> {
  /** Write the bearer token for clients to this file (0600), creating it in the vault if absent. */
  readonly tokenFile?: string;
}

export interface ServeContext {
  /** Who serves (FATHOM_USER, else the login name), for the ledger. */
  readonly env: NodeJS.ProcessEnv;
  /** Where the vault's passphrase may be typed when FATHOM_MASTER_KEY is not set. */
  readonly stdin?: Stdin;
  /** Warnings a person should see: a source unreachable, a serving log write failing, a 500. */
  readonly warn?: (message: string) => void;
}

export interface ServedEndpoint {
  readonly name: string;
  readonly version: number;
  readonly stage: Stage;
  /** The model's predict URL. */
  readonly predict: string;
}

export interface ServingHandle {
  /** Where to call it: a wildcard host is given as 127.0.0.1, an IPv6 one in brackets. */
  readonly url: string;
  readonly options: Readonly<ServeOptions>;
  /** Requests need the bearer token. */
  readonly auth: boolean;
  /** No token, and reachable from other machines: anyone there can call the models. */
  readonly exposed: boolean;
  /** The token file written for clients, and whether the token was created for it. */
  readonly token: { readonly file: string; readonly created: boolean } | null;
  readonly models: readonly ServedEndpoint[];
  /** What the ledger says is live (status `serving`). */
  readonly deployment: Deployment;
  /** A request body that works, per model, for the examples a person is shown. */
  examples(): Promise<Array<{ readonly model: ServedEndpoint; readonly body: unknown }>>;
  /** Settles once the server has stopped and `stopped` is recorded. */
  readonly stopped: Promise<void>;
  /** Finish the requests in flight, flush the serving log, record `stopped`. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serve registered models over HTTP (the production version of each, or the versions
 * `request.models` names) and record in the ledger (`deploy.serve`, the `deployments`
 * projection) that they are live here; `close()` records that they stopped. What is live
 * where is state like any other: `fathom status` and every worker read it.
 */
export async function serveModels(ws: Workspace, request: ServeRequest, context: ServeContext): Promise<ServingHandle> {
  const { tokenFile, ...given } = request;
  const options = resolveServeOptions(given);
  let token: ServingHandle['token'] = null;
  if (tokenFile !== undefined) {
    const { token: secret, created } = await ensureServeToken(await ws.vault(context.stdin ?? process.stdin));
    await writeTokenFile(tokenFile, secret);
    token = { file: tokenFile, created };
  }
  // Fastify loads here, not with the library: src/index.ts stays light for callers that never serve.
  const { createServer } = await import('./create-server.js');
  const app = await createServer(ws, options, {
    ...(context.stdin ? { stdin: context.stdin } : {}),
    ...(context.warn ? { warn: context.warn } : {}),
  });
  await app.listen({ host: options.host, port: options.port }).catch(async (err: NodeJS.ErrnoException) => {
    await app.close();
    throw listenError(err, options);
  });
  const address = app.server.address();
  const url = `http://${urlHost(options.host)}:${typeof address === 'object' && address ? address.port : options.port}`;
  const models = app.fathomModels.map(({ served: { version: v } }) => ({
    name: v.name,
    version: v.version,
    stage: v.stage,
    predict: `${url}${predictPath(v.name)}`,
  }));
  const auth = requiresToken(options);
  const live = {
    url,
    models: models.map((m) => versionKey(m.name, m.version)),
    auth,
    pid: process.pid,
    host: hostname(),
    by: reviewer(context.env),
  };
  const deployment = await recordDeployment(ws, { ...live, status: 'serving' }).catch(async (err: unknown) => {
    await app.close();
    throw err;
  });
  let settle!: { resolve: () => void; reject: (err: unknown) => void };
  const stopped = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // A caller may only ever call close(), and see its error there: no unhandled rejection here.
  stopped.catch(() => undefined);
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    if (closing === null) {
      closing = (async () => {
        await app.close();
        await recordDeployment(ws, { ...live, status: 'stopped' });
      })();
      closing.then(settle.resolve, settle.reject);
    }
    return closing;
  };
  return {
    url,
    options,
    auth,
    exposed: !auth && !isLoopback(options.host),
    token,
    models,
    deployment,
    examples: async () => {
      const out = [];
      // One at a time: each reads the model's source through the server's own engine.
      for (const [i, m] of app.fathomModels.entries()) {
        const run = m.engine ? <T>(work: (e: Engine) => Promise<T>) => m.engine!.run(work) : undefined;
        out.push({ model: models[i]!, body: await exampleBody(ws, m.served, run) });
      }
      return out;
    },
    stopped,
    close,
  };
}

function listenError(err: NodeJS.ErrnoException, options: Readonly<ServeOptions>): Error {
  if (err.code === 'EADDRINUSE')
    return new FathomError('usage', `Port ${options.port} on ${options.host} is in use`, {
      hint: 'Pick another: fathom serve --port 8081 (or --port 0 for any free one).',
    });
  if (err.code === 'EADDRNOTAVAIL')
    return new FathomError('usage', `${options.host} is not an address of this machine`, {
      hint: 'Use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).',
    });
  return err;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
