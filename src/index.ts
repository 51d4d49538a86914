/**
 * Fathom's public API. The CLI calls exactly these functions (src/cli/cli-imports.test.ts
 * holds it to that), and the dashboard will too; anything not exported here is internal.
 * Heavy optional parts (a specific engine driver, the Fastify server) have subpath exports:
 * `fathom/engine/duckdb`, `fathom/engine/postgres`, `fathom/engine/sqlite`, `fathom/serve`.
 */
export type {
  Engine,
  EngineFactory,
  Dialect,
  ColumnInfo,
  LogicalType,
  TableRef,
  Row,
  SqlValue,
  QueryResult,
} from './engine/engine.js';
export { openEngine, engineFactory, type EngineSpec } from './engine/open-engine.js';
export { quoteIdent, quoteTable } from './engine/quote.js';
export { readColumns, type Columns, type ColumnData } from './engine/read-columns.js';

export type {
  LedgerStore,
  LedgerHead,
  LogEntry,
  EntryInput,
  StatePatch,
  VerifyReport,
  LogQuery,
  EntryStatus,
} from './ledger/ledger-store.js';
export { openSqliteLedger } from './ledger/sqlite/sqlite-ledger-store.js';
export { createFileObjectStore, type ObjectStore } from './ledger/object-store.js';
export { workspaceStatus, summarizeEntry, type StatusReport } from './ledger/workspace-status.js';
export { logPage, type LogPage, type LogPageQuery } from './ledger/log-page.js';
export { verifyOrRebuild } from './ledger/verify-or-rebuild.js';
export {
  LeaseLostError,
  type WorkQueue,
  type QueuedAction,
  type ClaimedAction,
  type QueueRow,
  type QueueState,
  type WorkerInfo,
  type LeaseTimes,
  type LeaseGuard,
} from './ledger/work-queue.js';
// The Postgres ledger loads `pg`: import it from 'fathom/ledger/postgres' (openPostgresLedger).

export type { ActionKind, ActionContext, ResolvedInput } from './orchestrate/action-kind.js';
export { runAction, type RunContext, type RunResult } from './orchestrate/run-action.js';
export { actionFingerprint } from './orchestrate/fingerprint.js';
export { registerActionKind, registeredActionKind, registeredKindNames } from './orchestrate/action-registry.js';
export { planAction, makePlan, type Plan, type PlannedAction, type PlanActionOptions } from './orchestrate/plan.js';
export { runPlan, type RunPlanOptions, type PlanOutcome, type PlanProgress } from './orchestrate/run-plan.js';
export { runWorker, type WorkerOptions, type WorkerSummary } from './orchestrate/worker.js';
export { queueStatus, type QueueStatus, type WorkerStatus } from './orchestrate/queue-status.js';

export type { Config } from './workspace/config.js';
export { resolveConfig, readConfigFile, type ConfigFlags } from './workspace/resolve-config.js';
export { initWorkspace } from './workspace/init-workspace.js';
export { openWorkspace, findProjectRoot, describeMetadata, type Workspace } from './workspace/open-workspace.js';
export { configureStores } from './workspace/configure-stores.js';
export { setUpProject, type ProjectSetUp } from './workspace/set-up-project.js';

export type { SourceConfig, SourceTable, SourceKind } from './sources/source.js';
export { detectSource } from './sources/connect/detect-source.js';
export { connectSource } from './sources/connect/connect-source.js';
export { connectAndRecord, type ConnectRequest, type ConnectOutcome } from './sources/record-source.js';
export { openSourceEngine } from './sources/open-source-engine.js';
export { listSources, type SourceSummary } from './sources/list-sources.js';
export { tableSummary, type TableSummary } from './sources/table-summary.js';
export type { Vault, VaultRef } from './workspace/vault/vault.js';
export { openFileVault } from './workspace/vault/file-vault.js';
export { parseMasterKey, passphraseKey } from './workspace/vault/master-key.js';

export {
  SEMANTIC_TYPES,
  PII_KINDS,
  TARGET_KINDS,
  type SemanticType,
  type PiiKind,
  type TargetKind,
  type Catalog,
  type CatalogColumn,
  type CatalogTable,
} from './catalog/catalog.js';

export { describeDecision, type Decision, type ColumnsRef, type TableName } from './metadata/decision.js';
export { reviewer, type Recorded, type Change } from './metadata/metadata-state.js';
export { pendingProposals, type Proposal } from './metadata/proposals.js';
export { bulkAccept } from './metadata/bulk-accept.js';
export { parseSubject } from './metadata/resolve-names.js';
export { loadReview, decide, type ReviewState } from './metadata/review-workspace.js';
export {
  pendingReview,
  acceptProposals,
  type PendingReview,
  type AcceptedProposals,
} from './metadata/review-proposals.js';
export { tagDecisions, guessKind, type TagFacts } from './metadata/tag-decisions.js';
export { tag } from './metadata/tag-workspace.js';
export { exportMetadataFile, applyMetadataFile, type AppliedMetadata } from './metadata/metadata-as-code.js';
export { buildCatalog, catalogDocument } from './features/catalog-document.js';
export { profileTable, type TableProfile, type ColumnProfile } from './explore/profile-table.js';

export {
  STAGES,
  versionKey,
  listModelVersions,
  resolveModelVersion,
  registerModel,
  promoteModel,
  type Stage,
  type ModelVersion,
  type Registered,
  type Promotion,
} from './deploy/model-registry.js';
export { promoteVersion } from './deploy/promote-version.js';
export { predictBatch, type PredictBatchHooks } from './deploy/batch/predict-batch.js';
export {
  scoreBatch,
  DEFAULT_CHUNK,
  type BatchOptions,
  type BatchHooks,
  type BatchSummary,
} from './deploy/batch/score-batch.js';
export { listDeployments, type Deployment } from './deploy/deployments.js';
export {
  AUTH_MODES,
  SERVE_DEFAULTS,
  resolveServeOptions,
  isLoopback,
  requiresToken,
  type AuthMode,
  type ServeOptions,
} from './deploy/serve/serve-options.js';
export {
  serveModels,
  type ServeRequest,
  type ServeContext,
  type ServedEndpoint,
  type ServingHandle,
} from './deploy/serve/serve-models.js';
export { closeOnSignals } from './deploy/serve/shutdown-on-signal.js';
export { exampleBody, curlCommand, shellQuote } from './deploy/serve/example-request.js';
export { predictPath } from './deploy/serve/predict-route.js';
// createServer (Fastify) is the subpath 'fathom/serve'; serveModels loads it on first use.

export {
  monitorModels,
  MONITOR_KIND,
  type MonitorReport,
  type MonitorRequest,
} from './deploy/monitor/monitor-models.js';
export {
  DEFAULT_MIN_ROWS,
  DEFAULT_THRESHOLD,
  type ModelMonitor,
  type FeatureDrift,
  type Finding,
  type Volume,
} from './deploy/monitor/monitor-model.js';
export { DEFAULT_SINCE } from './deploy/monitor/monitor-window.js';

export { replay } from './pipeline/replay.js';
export type { ReplayReport } from './orchestrate/replay-action.js';

// The planner and the commands built on it: goals and state to the DAG, then run.
export { derivePlan, type Derived, type PlanContext } from './pipeline/derive/derive-plan.js';
export type { PlanNode, NodeState, Step, DerivedPlan } from './pipeline/plan-node.js';
export { STEPS } from './pipeline/plan-node.js';
export type { PipelineGoals, TrainGoal } from './pipeline/pipeline-goals.js';
export type { PipelineState, SourceState } from './pipeline/pipeline-state.js';
export { loadState, planFromState } from './pipeline/load-state.js';
export {
  runPipeline,
  PIPELINE_KIND,
  type RunOptions,
  type RunHooks,
  type RunOutcome,
  type NodeRun,
  type StepReport,
} from './pipeline/run-pipeline.js';
export { planProject, type PlanReport, type PlannedNode } from './pipeline/plan-project.js';
export { runProject, runGoals, type RunRequest, type RunProjectOutcome } from './pipeline/run-project.js';
export { exploreProject, exploreGoals, type ExploreOptions, type ExploreOutcome } from './pipeline/explore-project.js';
export { buildFeatures, type FeatureSetOutcome } from './pipeline/build-features.js';
export { trainProject, type TrainOutcome, type TrainOptions } from './pipeline/train-project.js';
export { loadBuiltinKinds } from './pipeline/builtin-kinds.js';
export { runProjectWorker } from './pipeline/project-worker.js';
export { sourceNameFor } from './sources/source-name.js';
export { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './features/feature-options.js';
export type { FeatureSetRecord } from './features/feature-set-record.js';
export { cutoffWords, reasonGroup } from './features/drop-reasons.js';

export { projectStatus, type ProjectStatus } from './report/project-status.js';
export { renderReport, buildReport, type RenderOptions, type RenderedReport } from './report/render-report.js';
export { writeReport, writeCatalogReport, type ReportSummary } from './report/write-report.js';
export { openInBrowser } from './report/open-in-browser.js';

export type { Dataset, LabelledDataset, Feature, Model, Predictions, Task, TaskKind } from './learn/dataset.js';
export { trainLinear, linearFromJSON, LinearModel, type LinearParams } from './learn/linear/index.js';
export { computeMetric, METRICS, type MetricName } from './learn/eval/metrics.js';
export { stratifiedKFold, groupKFold, timeSplit, shuffledKFold, planSplits, type Fold } from './learn/eval/splits.js';
export { calibrationCurve, type CalibrationBin } from './learn/eval/calibration-curve.js';
export { MODELS, type ModelRecord, type TrainOutput } from './train/ensemble-kind.js';
export type { LeaderboardRow } from './train/train-search.js';
export { parseTarget } from './train/parse-target.js';
export { fathomModelFromJSON, FathomModel, type FathomModelJson } from './train/fathom-model.js';
export type { ModelCard } from './train/model-card.js';
export { exportModelOnnx } from './train/export-model-onnx.js';
export { exportOnnxFile, type OnnxFile } from './train/export-onnx-file.js';
export type { Family } from './learn/search/learners.js';
export { explainModel, meanAbsoluteShap, gbdtGainImportance, type ModelExplanation } from './train/explain-model.js';

export { FathomError, badInput, toError, type ErrorKind } from './util/fathom-error.js';
