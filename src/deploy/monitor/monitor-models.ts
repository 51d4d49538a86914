import { readdir } from 'node:fs/promises';
import type { Workspace } from '../../workspace/open-workspace.js';
import { listModelVersions, resolveModelVersion } from '../model-registry.js';
import { servingDir } from '../serving-log.js';
import { DEFAULT_THRESHOLD, monitorModel, type ModelMonitor } from './monitor-model.js';
import { DEFAULT_SINCE, parseSince } from './monitor-window.js';

export const MONITOR_KIND = 'deploy.monitor';

export interface MonitorReport {
  readonly at: string;
  readonly since: string;
  readonly threshold: number;
  readonly models: readonly ModelMonitor[];
  /** True when any model's drift proposes retraining. */
  readonly retrain: boolean;
  /** The ledger entry recording this run (null when not recorded). */
  readonly seq: number | null;
}

export interface MonitorRequest {
  /** One model; default every model with a serving log, and every production model (silence is a finding). */
  readonly model?: string;
  /** ISO date or instant, or a span back from now: 7d (default), 36h, 2w. */
  readonly since?: string;
  readonly threshold?: number;
  readonly minRows?: number;
  readonly now?: Date;
  /** Append a `deploy.monitor` ledger entry, so drift history is in the ledger (default true). */
  readonly record?: boolean;
}

/** Monitor the named model, or all served and production models, and record the run. */
export async function monitorModels(ws: Workspace, request: MonitorRequest = {}): Promise<MonitorReport> {
  const now = request.now ?? new Date();
  const since = parseSince(request.since ?? DEFAULT_SINCE, now);
  const threshold = request.threshold ?? DEFAULT_THRESHOLD;
  let names: string[];
  if (request.model !== undefined) names = [(await resolveModelVersion(ws, request.model)).name];
  else names = await monitoredNames(ws);
  const models: ModelMonitor[] = [];
  for (const name of names)
    models.push(
      await monitorModel(ws, name, {
        since,
        now,
        threshold,
        ...(request.minRows !== undefined ? { minRows: request.minRows } : {}),
      }),
    );
  const report = { at: now.toISOString(), since, threshold, models, retrain: models.some((m) => m.retrain.proposed) };
  return { ...report, seq: request.record === false ? null : await recordMonitorRun(ws, report) };
}

/** Models with a serving log, and production models (which should have one). */
export async function monitoredNames(ws: Workspace): Promise<string[]> {
  const served = await readdir(servingDir(ws)).then(
    (d) => d.map(decodeURIComponent),
    () => [] as string[],
  );
  const registered = await listModelVersions(ws);
  const known = new Set(registered.map((v) => v.name));
  const production = registered.filter((v) => v.stage === 'production').map((v) => v.name);
  return [...new Set([...served.filter((n) => known.has(n)), ...production])].sort();
}

/** One ledger entry per run: the summary a person or a dashboard reads drift history from. */
async function recordMonitorRun(ws: Workspace, r: Omit<MonitorReport, 'seq'>): Promise<number> {
  const entry = await (
    await ws.ledger()
  ).append({
    kind: MONITOR_KIND,
    status: 'recorded',
    workerId: ws.config.workerId,
    params: { since: r.since, threshold: r.threshold, models: r.models.map((m) => m.model) },
    detail: {
      at: r.at,
      retrain: r.retrain,
      models: r.models.map((m) => ({
        model: m.model,
        version: m.version,
        records: m.records,
        scored: m.scored,
        today: m.volume.today,
        previousMean: m.volume.previousMean,
        prediction: m.prediction ? round(m.prediction.psi) : null,
        top: m.features.slice(0, 5).map((f) => ({ feature: f.feature, psi: round(f.psi), time: f.timeDependent })),
        findings: m.findings.map((f) => f.kind),
        retrain: m.retrain.proposed,
      })),
    },
  });
  return entry.seq;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
