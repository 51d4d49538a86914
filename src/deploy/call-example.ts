import type { Workspace } from '../workspace/open-workspace.js';
import { buildCatalog } from '../explore/build-catalog.js';
import type { ModelVersion } from './model-registry.js';
import { loadServedModel } from './served-model.js';
import type { PlannedFeature } from '../learn/train/feature-plan.js';

/**
 * A request body that works for a served model: one entity with a real key from its table (the
 * smallest value exploration saw) when the model computes its own features, else one feature row
 * of typical values (the median, the most frequent level; null where exploration saw none).
 */
export async function exampleBody(ws: Workspace, version: ModelVersion): Promise<Record<string, unknown>> {
  const m = await loadServedModel(ws, version);
  const table = (await buildCatalog(ws)).tables.find((t) => t.source === version.target.source && t.name === version.target.table);
  if (m.scoring) {
    const entity: Record<string, unknown> = {};
    for (const k of m.scoring.key) {
      const min = table?.columns.find((c) => c.name === k)?.stats.min ?? null;
      entity[k] = typeof min === 'number' ? min : min === null ? '' : /^-?\d+$/.test(String(min)) && /int/i.test(m.scoring.keyTypes[m.scoring.key.indexOf(k)]!) ? Number(min) : String(min);
    }
    return { entities: [entity] };
  }
  const typical = (f: PlannedFeature): unknown => {
    const stats = table?.columns.find((c) => c.name === f.column)?.stats;
    if (!stats) return null;
    switch (f.treatment) {
      case 'numeric': return typeof stats.quantiles?.p50 === 'number' ? stats.quantiles.p50 : stats.mean;
      case 'boolean': return typeof stats.top[0]?.value === 'boolean' ? stats.top[0].value : null;
      case 'datetime': return typeof stats.max === 'string' ? stats.max : null;
      case 'categorical': return f.categories?.includes(String(stats.top[0]?.value)) ? String(stats.top[0]!.value) : (f.categories?.[0] ?? null);
    }
  };
  return { rows: [Object.fromEntries(m.plan.features.map((f) => [f.column, typical(f)]))] };
}

/** The curl command calling a model served on `base` (shell-quoted body). */
export function curlExample(base: string, name: string, body: Record<string, unknown>, token: boolean): string {
  const json = JSON.stringify(body).replace(/'/g, `'\\''`);
  return `curl -s ${base}/v1/models/${encodeURIComponent(name)}/predict -H 'content-type: application/json'${token ? ' -H "authorization: Bearer $(cat TOKEN_FILE)"' : ''} -d '${json}'`;
}
