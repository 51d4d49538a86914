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
    .strictObject({
      store: z.enum(['sqlite']).default('sqlite'),
      path: z.string().default('.fathom/ledger.db'),
    })
    .prefault({}),
  objects: z.strictObject({ path: z.string().default('.fathom/objects') }).prefault({}),
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
export function envLayer(env: NodeJS.ProcessEnv): { engine?: Record<string, unknown>; workerId?: string; logLevel?: string } {
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
