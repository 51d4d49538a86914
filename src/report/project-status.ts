import type { Workspace } from '../workspace/open-workspace.js';
import { describeMetadata } from '../workspace/open-workspace.js';
import { workspaceStatus, type StatusReport } from '../ledger/workspace-status.js';
import { queueStatus, type QueueStatus } from '../orchestrate/queue-status.js';
import { metadataVersion } from '../metadata/metadata-state.js';
import { confirmedTarget } from '../metadata/table-review.js';
import { FEATURE_SETS, featureSetKey, type FeatureSetRecord } from '../features/feature-set-record.js';
import { listModelVersions, versionKey } from '../deploy/model-registry.js';
import { listDeployments, type Deployment } from '../deploy/deployments.js';
import { LAST_RUN, PIPELINE_RUNS, type LastRun } from '../pipeline/run-pipeline.js';

export interface ProjectStatus extends StatusReport {
  /** Where the metadata database is: the SQLite file, or the Postgres URL and schema. */
  readonly metadata: string;
  readonly review: { readonly metadataVersion: number; readonly target: string | null };
  /** The confirmed target's feature set, once built. */
  readonly features: {
    readonly synthesized: number;
    readonly kept: number;
    readonly rows: number;
    readonly columns: number;
    readonly metadataVersion: number;
    /** Review changed since it was built: `fathom features` would build a new one. */
    readonly stale: boolean;
  } | null;
  readonly models: {
    readonly versions: number;
    readonly production: ReadonlyArray<{ model: string; metric: string; value: number | null }>;
  };
  /** Servers recorded as running (one killed without its shutdown still reads serving). */
  readonly serving: readonly Deployment[];
  readonly queue: QueueStatus;
  /** The last `fathom run` (or explore, features, train): where it stopped for a person, if it did. */
  readonly lastRun: (LastRun & { readonly seq: number }) | null;
}

/**
 * Where the whole project stands (`fathom status`), from the ledger head and a few small
 * projections, never a scan of the log: a machine joining the work reads it in O(1).
 */
export async function projectStatus(ws: Workspace): Promise<ProjectStatus> {
  const ledger = await ws.ledger();
  const [base, queue] = await Promise.all([
    workspaceStatus(ledger, { project: ws.config.project, root: ws.paths.root }),
    queueStatus(ledger),
  ]);
  const [version, target] = await Promise.all([metadataVersion(ledger), confirmedTarget(ws)]);
  // One state read: the target's feature set, if built.
  const set = target
    ? (await ledger.getState<FeatureSetRecord>(FEATURE_SETS, featureSetKey(target)))?.value
    : undefined;
  const features = set
    ? {
        synthesized: set.features.length,
        kept: set.selection.kept.length,
        rows: set.matrix.rows,
        columns: set.matrix.columns.length,
        metadataVersion: set.metadataVersion,
        stale: set.metadataVersion !== version,
      }
    : null;
  // The registry is small (one row per model version): production versions and a count.
  const versions = await listModelVersions(ws);
  const models = {
    versions: versions.length,
    production: versions
      .filter((v) => v.stage === 'production')
      .map((v) => ({
        model: versionKey(v.name, v.version),
        metric: v.metric,
        value: v.metrics[v.metric]?.mean ?? null,
      })),
  };
  const serving = (await listDeployments(ws)).filter((d) => d.status === 'serving');
  const last = await ledger.getState<LastRun>(PIPELINE_RUNS, LAST_RUN);
  return {
    ...base,
    metadata: describeMetadata(ws.config, ws.paths),
    review: { metadataVersion: version, target: target && `${target.table}.${target.column}` },
    features,
    models,
    serving,
    queue,
    lastRun: last ? { ...last.value, seq: last.seq } : null,
  };
}
