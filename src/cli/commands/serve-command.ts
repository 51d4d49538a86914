import { Option, type Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { globals, nonNegativeInt, positiveInt, workspaceFor } from './common.js';
import {
  AUTH_MODES,
  closeOnSignals,
  curlCommand,
  SERVE_DEFAULTS,
  serveModels,
  shellQuote,
  versionKey,
  type AuthMode,
  type Workspace,
} from '../../index.js';

export interface ServeFlags {
  port: number;
  host: string;
  model: string[];
  auth: AuthMode;
  tokenFile?: string;
  maxRows: number;
  logRequests?: boolean;
  json?: boolean;
}

const HELP = `
Serves the production version of every registered model (fathom models), or the versions
--model names. Each model gets POST /v1/models/NAME/predict taking exactly one of:
  {"rows": [{FEATURE: VALUE, ...}]}      features computed already (null when unknown)
  {"entities": [{KEY: VALUE, "cutoff": "2025-06-30"}]}
                                         entity keys: the server computes the features from
                                         the sources with the model's scoring plan
Add ?explain=true for SHAP contributions. Bad requests get 400 naming the field
(e.g. "rows/0/age"). Also: GET /v1/models, GET /health, GET /openapi.json (each model's schema).

Auth: a bearer token kept in the project's vault (needs FATHOM_MASTER_KEY or the passphrase).
--auth auto (the default) requires it only when --host is not a loopback address. The token is
never printed: --token-file FILE writes it (0600) for clients, creating it if absent.
Every scored row is logged, personal data masked, in .fathom/serving/ (for fathom monitoring).
Ctrl-C (SIGINT) or SIGTERM stops it gracefully: requests in flight are answered first.

Examples:
  fathom serve
  fathom serve --port 9000 --model customers.churned@3
  fathom serve --host 0.0.0.0 --token-file ~/.fathom-token
  curl -s localhost:8080/v1/models/customers.churned/predict -H 'Content-Type: application/json' \\
       -d '{"entities":[{"customer_id":17}]}'`;

export function registerServe(program: Command, io: CliIO): void {
  program
    .command('serve')
    .description('Serve registered models over HTTP: predictions from feature rows or entity keys')
    .option('-p, --port <port>', 'TCP port (0 picks a free one)', nonNegativeInt('--port'), SERVE_DEFAULTS.port)
    .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', SERVE_DEFAULTS.host)
    .option(
      '-m, --model <ref>',
      'serve this version: NAME, NAME@VERSION or NAME@STAGE (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .addOption(
      new Option('--auth <mode>', 'bearer token required: token, none, or auto (iff the host is not loopback)')
        .choices([...AUTH_MODES])
        .default(SERVE_DEFAULTS.auth),
    )
    .option(
      '--token-file <file>',
      'write the bearer token for clients to this file (0600), creating it in the vault if absent',
    )
    .option('--max-rows <n>', 'most rows or entities per request', positiveInt('--max-rows'), SERVE_DEFAULTS.maxRows)
    .option('--log-requests', 'log every request on stderr (costs latency)')
    .option('--json', 'when ready, print {url, models, auth} as JSON on stdout')
    .addHelpText('after', HELP)
    .action(async (opts: ServeFlags, cmd: Command) => {
      const quiet = globals(cmd).quiet === true;
      const ws = await workspaceFor(cmd, io);
      try {
        await serveUntilStopped(ws, io, opts, quiet);
      } finally {
        await ws.close();
      }
    });
}

/**
 * Start the server, print where it is and how to call it, and serve until SIGINT or SIGTERM
 * (then finish the requests in flight). `fathom run --serve` ends with this too.
 */
export async function serveUntilStopped(ws: Workspace, io: CliIO, opts: ServeFlags, quiet: boolean): Promise<void> {
  const say = (text: string) => (quiet ? undefined : io.stderr.write(`${text}\n`));
  const served = await serveModels(
    ws,
    {
      host: opts.host,
      port: opts.port,
      models: opts.model,
      auth: opts.auth,
      maxRows: opts.maxRows,
      logRequests: opts.logRequests === true,
      ...(opts.tokenFile !== undefined ? { tokenFile: opts.tokenFile } : {}),
    },
    { env: io.env, stdin: io.stdin, warn: (m) => io.stderr.write(`fathom serve: ${m}\n`) },
  );
  // A failed stop reaches us through served.stopped.
  closeOnSignals(served, {
    closing: (signal) => say(`${signal}: finishing requests in flight, then stopping (again to force)`),
    force: () => process.exit(130),
  }).then(undefined, () => undefined);
  const { url, auth, models, token } = served;
  if (token)
    say(
      `${token.created ? 'Created the bearer token (vault: serve-token) and wrote' : 'Wrote the bearer token'} to ${token.file} (mode 0600)`,
    );
  if (served.exposed)
    say(
      `warning: listening on ${served.options.host} with --auth none: anyone who can reach this machine can call the models`,
    );
  if (!quiet) {
    say(
      `Serving ${models.map((m) => `${versionKey(m.name, m.version)} (${m.stage})`).join(', ')} at ${url}   auth: ${auth ? 'bearer token' : 'none'}`,
    );
    const authHeader = auth
      ? ` \\\n  -H "Authorization: Bearer $(cat ${token ? shellQuote(token.file) : 'TOKEN_FILE'})"`
      : '';
    for (const { model, body } of await served.examples())
      say(`\n# ${model.name}\n${curlCommand(model.predict, body, authHeader)}`);
    if (auth && !token) say('\n(the token is never printed: write it for clients with --token-file FILE)');
    say(`\nAPI: ${url}/openapi.json   models: ${url}/v1/models   Ctrl-C stops.`);
  }
  emit(io, opts.json, { url, auth, tokenFile: opts.tokenFile ?? null, models }, () => '');
  await served.stopped;
  say('Stopped: serving log flushed.');
}
