import type { Workspace } from '../../workspace/open-workspace.js';
import type { TrainingProfile } from '../../train/training-profile.js';
import { sourceTable } from '../../explore/explore-context.js';
import type { ServedModel } from '../served-model.js';
import type { Engine } from '../../engine/engine.js';
import { keyKind, openScoringEngine } from '../../features/scoring-plan.js';

/** Runs work on an engine over the model's scoring plan: the server's own, or one opened for it. */
type EngineRunner = <T>(work: (engine: Engine) => Promise<T>) => Promise<T>;

/**
 * A request body that works, for the curl example `fathom serve` prints: a real entity key
 * from the target table when the model computes its own features, else a feature row of
 * typical training values (each feature's median or most frequent level, from the training
 * profile; null where there is none).
 */
export async function exampleBody(
  ws: Workspace,
  served: ServedModel,
  run?: EngineRunner,
): Promise<{ rows: Record<string, unknown>[] } | { entities: Record<string, unknown>[] }> {
  const key = await exampleKey(ws, served, run ?? ((work) => withScoringEngine(ws, served, work))).catch(() => null);
  return key ? { entities: [key] } : { rows: [await exampleRow(ws, served)] };
}

async function withScoringEngine<T>(
  ws: Workspace,
  served: ServedModel,
  work: (engine: Engine) => Promise<T>,
): Promise<T> {
  const engine = await openScoringEngine(ws, served.scoring!);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** The curl command that calls a model's predict URL with a JSON body (shell-quoted). */
export function curlCommand(predictUrl: string, body: unknown, authHeader = ''): string {
  return `curl -s -X POST ${predictUrl} \\\n  -H 'Content-Type: application/json'${authHeader} \\\n  -d ${shellQuote(JSON.stringify(body))}`;
}

export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

async function exampleKey(
  ws: Workspace,
  served: ServedModel,
  run: EngineRunner,
): Promise<Record<string, unknown> | null> {
  const plan = served.scoring;
  if (!plan) return null;
  const { table } = await sourceTable(ws, plan.source, plan.table);
  return run(async (engine) => {
    const q = engine.dialect;
    const cols = plan.key.map((k) => q.quoteIdent(k));
    const notNull = cols.map((c) => `${c} IS NOT NULL`).join(' AND ');
    const { rows } = await engine.query(
      `SELECT ${cols.join(', ')} FROM ${q.quoteTable(table.ref)} WHERE ${notNull} ORDER BY ${cols.join(', ')} LIMIT 1`,
    );
    const row = rows[0];
    if (!row) return null;
    return Object.fromEntries(
      plan.key.map((k, i) => [k, keyKind(plan.keyTypes[i]!) === 'text' ? String(row[k]) : Number(row[k])]),
    );
  });
}

async function exampleRow(ws: Workspace, served: ServedModel): Promise<Record<string, unknown>> {
  const hash = served.version.profile;
  const profile = hash ? ((await (await ws.objects()).getJson(hash)) as TrainingProfile) : null;
  const byName = new Map(profile?.features.map((f) => [f.feature, f]) ?? []);
  return Object.fromEntries(
    served.plan.features.map((f) => {
      const p = byName.get(f.column);
      if (!p) return [f.column, null];
      if (p.kind === 'categorical') return [f.column, p.categories[0] ?? null];
      const mid = p.edges[Math.floor(p.edges.length / 2)];
      if (mid === undefined) return [f.column, null];
      if (f.treatment === 'boolean') return [f.column, mid >= 0.5];
      if (f.treatment === 'datetime') return [f.column, new Date(mid).toISOString()];
      return [f.column, mid];
    }),
  );
}
