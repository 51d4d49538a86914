import { z } from 'zod';
import { FathomError } from '../util/fathom-error.js';

/**
 * The project configuration, resolved once from four layers (defaults < fathom.yaml < env <
 * flags) into one frozen object that is passed everywhere. Nothing here is a secret: sources
 * carry only `vault:` references.
 *
 * Objects are strict: an unknown key is almost always a typo (`pth:` for `path:`), and
 * ignoring it would silently fall back to the default. Source `options` stay open.
 */
const sourceSchema = z.strictObject({
  kind: z.enum(['files', 'sqlite', 'duckdb', 'postgres']),
  location: z.string().min(1),
  credential: z
    .string()
    .regex(/^vault:.+$/, 'must be a vault reference such as vault:NAME')
    .optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

export const configSchema = z.strictObject({
  version: z.literal(1).default(1),
  project: z.string().min(1).default('fathom-project'),
  metadata: z
    .preprocess(
      metadataShorthand,
      z
        .strictObject({
          store: z.enum(['sqlite', 'postgres']).default('sqlite'),
          /** SQLite: the ledger file. */
          path: z.string().default('.fathom/ledger.db'),
          /** Postgres: postgres://user@host:port/database, never with a password in it. */
          url: z
            .string()
            .refine(
              (u) => !hasPassword(u),
              'must not contain a password; `fathom init --metadata URL` moves it into the vault',
            )
            .optional(),
          /** Postgres: the schema holding the ledger's tables. */
          schema: z
            .string()
            .regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain lowercase identifier')
            .optional(),
          /** Postgres: the password, as a vault reference. */
          credential: z
            .string()
            .regex(/^vault:.+$/, 'must be a vault reference such as vault:NAME')
            .optional(),
        })
        .refine((m) => m.store !== 'postgres' || m.url !== undefined, {
          message: 'store: postgres needs url: postgres://user@host:5432/database',
          path: ['url'],
        }),
    )
    .prefault({}),
  /** Where action outputs live: a folder every worker can reach (a shared mount for many machines). */
  objects: z
    .preprocess(
      (v) => (typeof v === 'string' ? { path: v } : v),
      z.strictObject({ path: z.string().default('.fathom/objects') }),
    )
    .prefault({}),
  vault: z.strictObject({ path: z.string().default('.fathom/vault.json') }).prefault({}),
  cache: z.strictObject({ path: z.string().default('.fathom/cache') }).prefault({}),
  engine: z
    .strictObject({
      kind: z.enum(['duckdb']).default('duckdb'),
      threads: z.number().int().positive().optional(),
      memoryLimit: z.string().optional(),
    })
    .prefault({}),
  explore: z
    .strictObject({
      /** Rows sampled for pairwise statistics and pattern checks on big tables. */
      sampleRows: z.number().int().positive().default(100_000),
    })
    .prefault({}),
  sources: z.record(z.string(), sourceSchema).default({}),
});

/** `metadata: postgres://…` or `metadata: path/to/ledger.db` as short for the full section. */
function metadataShorthand(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return isPostgresUrl(v) ? { store: 'postgres', url: v } : { store: 'sqlite', path: v };
}

export function isPostgresUrl(v: string): boolean {
  return /^postgres(ql)?:\/\//i.test(v);
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

export type ConfigFile = z.input<typeof configSchema>;
export type SourceEntry = z.output<typeof sourceSchema>;

export interface Config extends Readonly<z.output<typeof configSchema>> {
  /** Absolute project folder (where fathom.yaml lives). */
  readonly root: string;
  /** This process's identity in the ledger. */
  readonly workerId: string;
  readonly logLevel: 'quiet' | 'info' | 'debug';
}

/** Overrides from the environment: FATHOM_THREADS, FATHOM_MEMORY_LIMIT, FATHOM_WORKER_ID, FATHOM_LOG_LEVEL. */
export function envLayer(env: NodeJS.ProcessEnv): {
  engine?: Record<string, unknown>;
  workerId?: string;
  logLevel?: string;
} {
  const out: { engine?: Record<string, unknown>; workerId?: string; logLevel?: string } = {};
  const engine: Record<string, unknown> = {};
  if (env.FATHOM_THREADS) {
    const n = Number(env.FATHOM_THREADS);
    if (!Number.isInteger(n) || n < 1) {
      throw new FathomError('usage', `FATHOM_THREADS must be a positive integer, got "${env.FATHOM_THREADS}"`);
    }
    engine.threads = n;
  }
  if (env.FATHOM_MEMORY_LIMIT) engine.memoryLimit = env.FATHOM_MEMORY_LIMIT;
  if (Object.keys(engine).length > 0) out.engine = engine;
  if (env.FATHOM_WORKER_ID) out.workerId = env.FATHOM_WORKER_ID;
  if (env.FATHOM_LOG_LEVEL) out.logLevel = env.FATHOM_LOG_LEVEL;
  return out;
}
