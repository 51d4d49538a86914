import type { Workspace } from '../workspace/open-workspace.js';
import { buildCatalog } from '../explore/build-catalog.js';
import type { ModelVersion } from './model-registry.js';
import { loadServedModel } from './served-model.js';

/**
 * A request body that works for a served model: one entity with a real key from its table (the
 * smallest value exploration saw) when the model computes its own features, else one feature row
 * of nulls (every feature is required; null means unknown).
 */
export async function exampleBody(ws: Workspace, version: ModelVersion): Promise<Record<string, unknown>> {
  const m = await loadServedModel(ws, version);
  if (m.scoring) {
    const table = (await buildCatalog(ws)).tables.find((t) => t.source === m.scoring!.source && t.name === m.scoring!.table);
    const entity: Record<string, unknown> = {};
    for (const k of m.scoring.key) {
      const min = table?.columns.find((c) => c.name === k)?.stats.min ?? null;
      entity[k] = typeof min === 'number' ? min : min === null ? '' : /^-?\d+$/.test(String(min)) && /int/i.test(m.scoring.keyTypes[m.scoring.key.indexOf(k)]!) ? Number(min) : String(min);
    }
    return { entities: [entity] };
  }
  return { rows: [Object.fromEntries(m.plan.features.map((f) => [f.column, null]))] };
}

/** The curl command calling a model served on `base` (shell-quoted body). */
export function curlExample(base: string, name: string, body: Record<string, unknown>, token: boolean): string {
  const json = JSON.stringify(body).replace(/'/g, `'\\''`);
  return `curl -s ${base}/v1/models/${encodeURIComponent(name)}/predict -H 'content-type: application/json'${token ? ' -H "authorization: Bearer $(cat TOKEN_FILE)"' : ''} -d '${json}'`;
}
