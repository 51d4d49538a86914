import { isAbsolute, relative, resolve } from 'node:path';
import type { Workspace } from '../workspace/open-workspace.js';
import { setConfigValue } from '../workspace/edit-config-file.js';
import { runAction } from '../orchestrate/run-action.js';
import { FathomError, badInput, toError } from '../util/fathom-error.js';
import { detectSource } from './connect/detect-source.js';
import { connectSource } from './connect/connect-source.js';
import { isGlob } from './files/list-data-files.js';
import { obtainSecret } from '../workspace/vault/credential-prompt.js';
import { connectAction, SOURCES, TABLES, type ConnectParams, type SourceRecord } from './source-actions.js';
import type { SourceConfig, SourceTable } from './source.js';
import { runContextFor } from '../orchestrate/run-context.js';

export interface ConnectRequest {
  readonly name: string;
  readonly location: string;
  /** Connector options (CSV delimiter, encoding, header, quarantine…). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Read the password from this environment variable. */
  readonly passwordEnv?: string;
  /** Ask for a password at the terminal. */
  readonly askPassword?: boolean;
  /** Allow replacing a source of the same name that points elsewhere. */
  readonly replace?: boolean;
}

export interface ConnectEnv {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly log?: (message: string) => void;
}

export interface ConnectOutcome {
  readonly source: SourceConfig;
  readonly tables: readonly SourceTable[];
  readonly reused: boolean;
  readonly seq: number;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/**
 * Connect a source: detect its kind, move any password into the vault, discover its tables
 * with their data fingerprints, record a `source.connect` action, then add it to fathom.yaml.
 */
export async function connectAndRecord(ws: Workspace, req: ConnectRequest, env: ConnectEnv): Promise<ConnectOutcome> {
  if (!NAME.test(req.name)) {
    throw badInput(
      `Source name "${req.name}" is not valid`,
      'Use a letter followed by letters, digits, _ or - (at most 63), e.g. shop or crm_db.',
    );
  }
  const detected = await detectSource(req.location, { cwd: env.cwd });
  const location =
    detected.kind === 'postgres' ? detected.location : projectRelative(ws.paths.root, env.cwd, detected.location);
  const existing = ws.config.sources[req.name];
  if (existing && existing.location !== location && !req.replace) {
    throw badInput(
      `Source ${req.name} is already connected to ${existing.location}`,
      `Pick another name, or pass --replace to point ${req.name} at ${location}.`,
    );
  }
  const secret = await findSecret(req, detected.password, env);
  let credential: SourceConfig['credential'] = existing?.credential as SourceConfig['credential'];
  if (secret !== undefined) credential = await (await ws.vault(env.stdin)).set(req.name, secret);
  const options = { ...(req.options ?? {}) };
  const source: SourceConfig = {
    name: req.name,
    kind: detected.kind,
    location,
    ...(credential ? { credential } : {}),
    options,
  };
  const storedSecret = secret ?? (credential ? await (await ws.vault(env.stdin)).get(credential) : undefined);
  const ledger = await ws.ledger();
  const previous = (await ledger.getState<SourceRecord>(SOURCES, req.name))?.value.tables ?? [];
  const known = new Map<string, SourceTable>();
  for (const row of await ledger.listState<SourceTable>(TABLES))
    if (row.value.source === req.name) known.set(row.value.fingerprint, row.value);
  const params: ConnectParams = {
    name: req.name,
    kind: detected.kind,
    location,
    credential: credential ?? null,
    options,
  };
  let tables: SourceTable[];
  try {
    ({ tables } = await connectSource(source, {
      ...(storedSecret !== undefined ? { secret: storedSecret } : {}),
      cacheDir: ws.paths.cache,
      cwd: ws.paths.root,
      known,
    }));
    if (tables.length === 0) {
      throw badInput(
        `Source ${req.name} (${location}) has no tables`,
        'Point it at a folder or file with data (CSV, TSV, Parquet, JSON, NDJSON), or a database with tables.',
      );
    }
  } catch (err) {
    // Discovery is the part of connecting that fails on bad data; the log keeps the reason.
    await ledger.append({
      kind: 'source.connect',
      status: 'failed',
      params,
      error: toError(err).message,
      workerId: ws.config.workerId,
    });
    throw err;
  }
  const result = await runAction(
    await runContextFor(ws, env.log),
    connectAction(tables, previous),
    params,
    tables.map((t) => ({ fingerprint: t.fingerprint })),
  );
  await setConfigValue(ws.paths.root, ['sources', req.name], {
    kind: detected.kind,
    location,
    ...(credential ? { credential } : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
  });
  return { source, tables, reused: result.reused, seq: result.seq };
}

/** A path as the user typed it (relative to their cwd), stored relative to the project. */
function projectRelative(root: string, cwd: string, location: string): string {
  const abs = isAbsolute(location) ? location : resolve(cwd, location);
  const rel = relative(root, abs);
  if (isGlob(location) && isAbsolute(location)) return location;
  return rel.startsWith('..') || isAbsolute(rel) ? abs : rel === '' ? '.' : rel;
}

async function findSecret(
  req: ConnectRequest,
  fromUrl: string | undefined,
  env: ConnectEnv,
): Promise<string | undefined> {
  if (fromUrl !== undefined) return fromUrl;
  if (req.passwordEnv !== undefined) {
    const value = env.env[req.passwordEnv];
    if (value === undefined || value === '') {
      throw new FathomError('usage', `--password-env ${req.passwordEnv}: that environment variable is not set`, {
        hint: `Export ${req.passwordEnv} first, or use --password to be asked.`,
      });
    }
    return value;
  }
  if (req.askPassword)
    return obtainSecret({ prompt: `Password for source ${req.name}`, stdin: env.stdin, env: env.env });
  return undefined;
}
