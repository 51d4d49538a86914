import type { Workspace } from '../../workspace/open-workspace.js';
import type { PiiKind } from '../../catalog/catalog.js';
import { listModelVersions, resolveModelVersion, versionKey, type ModelVersion } from '../model-registry.js';
import { entitySchema, featureRowSchema, loadServedModel, type ServedModel } from '../served-model.js';
import { piiFields } from '../serving-log.js';
import { openServingEngine } from '../scoring-engine.js';
import { serialEngine, type SerialEngine } from './serial-engine.js';
import { entityBatcher, type EntityBatcher } from './entity-batcher.js';
import { pathSegment, predictPath } from './predict-route.js';
import { badInput, FathomError } from '../../util/fathom-error.js';

/** A model version as the server holds it: loaded, its request schemas, its PII fields, its engine. */
export interface ServingModel {
  readonly served: ServedModel;
  /** JSON Schema of one feature row (every feature required, nullable). */
  readonly rowSchema: Record<string, unknown>;
  /** JSON Schema of one entity, or null when the model has no scoring plan. */
  readonly entitySchema: Record<string, unknown> | null;
  /** Input fields holding personal data: masked in the serving log. */
  readonly pii: ReadonlyMap<string, PiiKind>;
  /** The scoring plan's engine, or null without a plan. */
  readonly engine: SerialEngine | null;
  /** Entity requests' features, batched on `engine`; null without a plan. */
  readonly entities: EntityBatcher | null;
}

/**
 * The versions to serve: those `refs` name (`NAME`, `NAME@VERSION`, `NAME@STAGE`), or else
 * the production version of every registered model. One version per name: the route is the name.
 */
export async function chooseVersions(ws: Workspace, refs: readonly string[]): Promise<ModelVersion[]> {
  const versions =
    refs.length > 0
      ? await Promise.all(refs.map((r) => resolveModelVersion(ws, r)))
      : (await listModelVersions(ws)).filter((v) => v.stage === 'production');
  if (versions.length === 0) {
    const all = await listModelVersions(ws);
    const latest = all[all.length - 1];
    throw new FathomError(
      'not_found',
      all.length === 0
        ? 'No model is registered, so there is nothing to serve'
        : 'No model version is in production, so there is nothing to serve by default',
      {
        hint: latest
          ? `Promote one: fathom promote ${versionKey(latest.name, latest.version)} production --yes   (fathom models lists them), or serve a version by name: fathom serve --model ${versionKey(latest.name, latest.version)}`
          : 'Train one (fathom train, or fathom run DATA --yes), then promote it: fathom promote NAME@VERSION production --yes',
      },
    );
  }
  const seen = new Map<string, ModelVersion>();
  const paths = new Map<string, string>();
  for (const v of versions) {
    const clash = paths.get(pathSegment(v.name));
    if (clash !== undefined && clash !== v.name)
      throw badInput(
        `Models ${clash} and ${v.name} would share the path ${predictPath(v.name)}`,
        'Serve them from two servers (--model on each, another --port).',
      );
    paths.set(pathSegment(v.name), v.name);
    const other = seen.get(v.name);
    if (other && other.version !== v.version) {
      throw badInput(
        `Two versions of ${v.name} were asked for (${other.version} and ${v.version}); a server serves one version per model name`,
        `Keep one --model ${v.name}@VERSION, or run a second server on another port.`,
      );
    }
    seen.set(v.name, v);
  }
  return [...seen.values()];
}

export async function loadServingModel(ws: Workspace, version: ModelVersion, maxRows: number): Promise<ServingModel> {
  const served = await loadServedModel(ws, version);
  const plan = served.scoring;
  // Entity requests run on the plan's tables held in memory (file sources), reloaded when a file changes.
  const engine = plan ? serialEngine(() => openServingEngine(ws, plan)) : null;
  return {
    served,
    rowSchema: featureRowSchema(served.plan),
    entitySchema: entitySchema(plan),
    pii: await piiFields(ws, served),
    engine,
    entities: engine ? entityBatcher(engine, served, maxRows) : null,
  };
}
