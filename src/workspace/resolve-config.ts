import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { configSchema, envLayer, type Config } from './config.js';
import { FathomError } from '../util/fathom-error.js';

export const CONFIG_FILE = 'fathom.yaml';

/** Flags the CLI may pass; they win over every other layer. */
export interface ConfigFlags {
  readonly threads?: number;
  readonly memoryLimit?: string;
  readonly workerId?: string;
  readonly logLevel?: 'quiet' | 'info' | 'debug';
}

/** Read and validate fathom.yaml; the error names the file, the line and the bad field. */
export async function readConfigFile(root: string): Promise<Record<string, unknown>> {
  const path = join(root, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new FathomError('not_found', `No ${CONFIG_FILE} in ${root}`, {
      hint: 'Run `fathom init` to create a project here, or pass --project DIR.',
      cause: err,
    });
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw new FathomError(
      'bad_input',
      `${path}${line ? `:${line}` : ''}: invalid YAML: ${first.message.split('\n')[0]}`,
      {
        hint: 'Fix the YAML syntax at that line.',
      },
    );
  }
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new FathomError('bad_input', `${path}: expected a mapping at the top level`);
  }
  return value as Record<string, unknown>;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Resolve the configuration once: defaults < fathom.yaml < environment < flags. The result is
 * deeply frozen; code that needs a setting takes it from this object, never from process.env.
 */
export function resolveConfig(
  root: string,
  file: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
  flags: ConfigFlags = {},
): Config {
  const fromEnv = envLayer(env);
  const fromFlags: Record<string, unknown> = {};
  const engineFlags: Record<string, unknown> = {};
  if (flags.threads !== undefined) engineFlags.threads = flags.threads;
  if (flags.memoryLimit !== undefined) engineFlags.memoryLimit = flags.memoryLimit;
  if (Object.keys(engineFlags).length > 0) fromFlags.engine = engineFlags;
  const merged = deepMerge(deepMerge(file, fromEnv.engine ? { engine: fromEnv.engine } : {}), fromFlags);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new FathomError('bad_input', `${join(root, CONFIG_FILE)}: ${field || '(top level)'}: ${issue.message}`, {
      hint: `Fix \`${field}\` in ${CONFIG_FILE}, or the FATHOM_* variable or flag that sets it.`,
    });
  }
  const logLevel = flags.logLevel ?? fromEnv.logLevel ?? 'info';
  if (logLevel !== 'quiet' && logLevel !== 'info' && logLevel !== 'debug') {
    throw new FathomError('usage', `FATHOM_LOG_LEVEL must be quiet, info or debug, got "${logLevel}"`);
  }
  return deepFreeze({
    ...parsed.data,
    root,
    workerId: flags.workerId ?? fromEnv.workerId ?? `${hostname()}:${process.pid}`,
    logLevel,
  });
}
