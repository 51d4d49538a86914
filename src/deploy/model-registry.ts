import type { Workspace } from '../workspace/open-workspace.js';
import type { StatePatch } from '../ledger/ledger-store.js';
import type { ModelCard } from '../train/model-card.js';
import { canonicalJson } from '../util/hash.js';
import { badInput, FathomError } from '../util/fathom-error.js';

/** The projection of registered model versions: key `NAME@VERSION`. */
export const MODEL_VERSIONS = 'model_versions';
export const REGISTER_KIND = 'deploy.register';
export const PROMOTE_KIND = 'deploy.promote';

export const STAGES = ['candidate', 'staging', 'production', 'archived'] as const;
export type Stage = (typeof STAGES)[number];

/** One registered version of a model: what it is, what it came from, how good, and its stage. */
export interface ModelVersion {
  readonly name: string;
  readonly version: number;
  /** Object hash of the saved model (`fathom.model`). */
  readonly model: string;
  /** Object hash of the model card (which holds the scoring plan). */
  readonly card: string;
  /** Object hash of the training profile, for drift monitoring (null for cards without one). */
  readonly profile: string | null;
  readonly task: ModelCard['target']['task'];
  readonly target: { readonly source: string; readonly table: string; readonly column: string };
  /** The data the model was trained on: its fingerprint (table or feature matrix) and metadata version. */
  readonly data: { readonly fingerprint: string; readonly metadataVersion: number | null; readonly rows: number };
  /** Whether it computes its own features from entity keys (a scoring plan). */
  readonly scoring: boolean;
  readonly metric: string;
  readonly metrics: ModelCard['metrics'];
  readonly stage: Stage;
  readonly registeredAt: string;
  readonly registeredBy: string;
  /** When and by whom the stage last changed (the ledger holds every change). */
  readonly stagedAt: string;
  readonly stagedBy: string;
}

export const versionKey = (name: string, version: number): string => `${name}@${version}`;

export async function listModelVersions(ws: Workspace, name?: string): Promise<ModelVersion[]> {
  const rows = await (await ws.ledger()).listState<ModelVersion>(MODEL_VERSIONS);
  return rows
    .map((r) => r.value)
    .filter((v) => name === undefined || v.name === name)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version));
}

export interface Registered {
  readonly version: ModelVersion;
  /** True when this model (same object) was registered before: nothing was recorded. */
  readonly existing: boolean;
  readonly seq: number | null;
}

/**
 * Register a trained model as the next version of its name, as a `candidate`. The same model
 * object registered again is the version it already is (nothing recorded when its card is the
 * same too), so re-running a pipeline whose training was reused registers nothing new.
 */
export async function registerModel(ws: Workspace, card: ModelCard, by: string): Promise<Registered> {
  const versions = await listModelVersions(ws, card.name);
  const same = versions.find((v) => v.model === card.model);
  const cardHash = await (await ws.objects()).put(canonicalJson(card));
  if (same && same.card === cardHash) return { version: same, existing: true, seq: null };
  const at = new Date().toISOString();
  // What the card says of the model; a version made now also gets its number and stage.
  const fromCard = {
    card: cardHash,
    profile: card.profile ?? null,
    data: { fingerprint: card.data.fingerprint, metadataVersion: card.data.metadataVersion, rows: card.data.rows },
    scoring: card.scoring !== undefined,
    metrics: card.metrics,
  };
  // The same model with a new card (trained again, same model, e.g. a newer scoring plan): the
  // version keeps its number and stage and takes the card.
  const version: ModelVersion = same
    ? { ...same, ...fromCard }
    : {
        name: card.name,
        version: versions.reduce((m, v) => Math.max(m, v.version), 0) + 1,
        model: card.model,
        ...fromCard,
        task: card.target.task,
        target: { source: card.data.source, table: card.data.table, column: card.target.column },
        metric: card.metric,
        stage: 'candidate',
        registeredAt: at,
        registeredBy: by,
        stagedAt: at,
        stagedBy: by,
      };
  const entry = await (
    await ws.ledger()
  ).append({
    kind: REGISTER_KIND,
    status: 'recorded',
    workerId: ws.config.workerId,
    metadataVersion: card.data.metadataVersion,
    params: { name: version.name, version: version.version, model: version.model },
    inputs: [card.data.fingerprint],
    output: cardHash,
    detail: { by, at, metrics: card.metrics, ...(same ? { card: { from: same.card, to: cardHash } } : {}) },
    patches: [{ collection: MODEL_VERSIONS, key: versionKey(version.name, version.version), value: version }],
  });
  return { version, existing: same !== undefined, seq: entry.seq };
}

/**
 * `NAME@VERSION`, `NAME@latest`, `NAME@STAGE`, or `NAME` (its production version, else its
 * latest). A clear error lists what is registered when nothing matches.
 */
export async function resolveModelVersion(ws: Workspace, ref: string): Promise<ModelVersion> {
  const at = ref.lastIndexOf('@');
  const name = at < 0 ? ref : ref.slice(0, at);
  const which = at < 0 ? null : ref.slice(at + 1);
  const versions = await listModelVersions(ws, name);
  if (versions.length === 0) {
    const names = [...new Set((await listModelVersions(ws)).map((v) => v.name))];
    throw new FathomError('not_found', `No model named ${JSON.stringify(name)} is registered`, {
      hint:
        names.length > 0
          ? `Registered models: ${names.join(', ')}. List them with: fathom models`
          : 'Train one (fathom train) or run the pipeline (fathom run DATA --yes); trained models are registered as candidates.',
    });
  }
  const latest = versions[versions.length - 1]!;
  let found: ModelVersion | undefined;
  if (which === null) found = versions.find((v) => v.stage === 'production') ?? latest;
  else if (which === 'latest') found = latest;
  else if ((STAGES as readonly string[]).includes(which))
    found = [...versions].reverse().find((v) => v.stage === which);
  else if (/^\d+$/.test(which)) found = versions.find((v) => v.version === Number(which));
  else
    throw badInput(
      `Model reference ${JSON.stringify(ref)}: after @ comes a version number, "latest" or a stage (${STAGES.join(', ')})`,
      `e.g. ${name}@${latest.version}`,
    );
  if (!found) {
    throw new FathomError('not_found', `${name} has no version ${which}`, {
      hint: `Its versions: ${versions.map((v) => `${v.version} (${v.stage})`).join(', ')}.`,
    });
  }
  return found;
}

export async function readModelCard(ws: Workspace, version: ModelVersion): Promise<ModelCard> {
  return (await (await ws.objects()).getJson(version.card)) as ModelCard;
}

export interface Promotion {
  readonly version: ModelVersion;
  readonly from: Stage;
  /** Versions moved out of production by this promotion (to archived). */
  readonly archived: readonly ModelVersion[];
  readonly seq: number | null;
}

/**
 * Move a version to a stage. Production is an approval gate: without `approved` (the person's
 * yes, or `--yes` given ahead of time) it is refused. A new production version archives the
 * one it replaces, in the same ledger entry.
 */
export async function promoteModel(
  ws: Workspace,
  ref: string,
  stage: Stage,
  who: { by: string; approved: boolean },
): Promise<Promotion> {
  if (!(STAGES as readonly string[]).includes(stage))
    throw badInput(`Unknown stage ${JSON.stringify(stage)}`, `Use one of: ${STAGES.join(', ')}.`);
  const version = await resolveModelVersion(ws, ref);
  if (version.stage === stage) return { version, from: stage, archived: [], seq: null };
  if (stage === 'production' && !who.approved) {
    throw new FathomError(
      'usage',
      `Promoting ${versionKey(version.name, version.version)} to production needs approval`,
      {
        hint: `Approve it: fathom promote ${versionKey(version.name, version.version)} production --yes`,
      },
    );
  }
  const at = new Date().toISOString();
  const moved: ModelVersion = { ...version, stage, stagedAt: at, stagedBy: who.by };
  const archived =
    stage === 'production'
      ? (await listModelVersions(ws, version.name))
          .filter((v) => v.stage === 'production' && v.version !== version.version)
          .map((v) => ({ ...v, stage: 'archived' as const, stagedAt: at, stagedBy: who.by }))
      : [];
  const patches: StatePatch[] = [moved, ...archived].map((v) => ({
    collection: MODEL_VERSIONS,
    key: versionKey(v.name, v.version),
    value: v,
  }));
  const entry = await (
    await ws.ledger()
  ).append({
    kind: PROMOTE_KIND,
    status: 'recorded',
    workerId: ws.config.workerId,
    params: { name: version.name, version: version.version, stage },
    detail: {
      by: who.by,
      at,
      from: version.stage,
      to: stage,
      archived: archived.map((v) => v.version),
      approved: who.approved,
    },
    patches,
  });
  return { version: moved, from: version.stage, archived, seq: entry.seq };
}
