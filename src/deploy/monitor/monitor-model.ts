import type { Workspace } from '../../workspace/open-workspace.js';
import { listModelVersions, resolveModelVersion, type ModelVersion, type Stage } from '../model-registry.js';
import { readServingLog, type ServedRecord } from '../serving-log.js';
import type { TrainingProfile } from '../../train/training-profile.js';
import { BinAccumulator } from './bin-accumulator.js';
import { daysOf, timeDependent } from './monitor-window.js';

export const DEFAULT_THRESHOLD = 0.25;
/** Below this many served rows, PSI is mostly noise: reported, not judged. */
export const DEFAULT_MIN_ROWS = 100;
/** A missing-value rate this much above training's (absolute) is a finding. */
const MISSING_JUMP = 0.1;

export interface FeatureDrift {
  readonly feature: string;
  readonly treatment: string;
  readonly psi: number;
  readonly count: number;
  readonly missing: { readonly training: number; readonly live: number };
  /** Datetimes and ages from the cutoff: they drift as time passes and never alone propose retraining. */
  readonly timeDependent: boolean;
  readonly drifted: boolean;
}

export type FindingKind =
  | 'feature-drift'
  | 'prediction-drift'
  | 'time-drift'
  | 'missing-rate'
  | 'no-traffic'
  | 'volume-change'
  | 'few-rows'
  | 'no-profile';

export interface Finding {
  readonly kind: FindingKind;
  readonly message: string;
}

export interface Volume {
  readonly days: ReadonlyArray<{ readonly day: string; readonly rows: number }>;
  readonly today: number;
  /** Mean rows per day over the window's earlier whole days (null when there is none). */
  readonly previousMean: number | null;
  /** Mean rows per day on those earlier days up to this time of day: what today should have by now. */
  readonly previousByNow: number | null;
  /** today / previousByNow (null without earlier days, or when they had none by now). */
  readonly ratio: number | null;
}

export interface ModelMonitor {
  readonly model: string;
  /** The version whose inputs are compared: the one that served last in the window (else production, else latest). */
  readonly version: number;
  readonly stage: Stage;
  readonly since: string;
  readonly until: string;
  readonly threshold: number;
  /** Served rows in the window, every version; and those of `version`, which the drift numbers use. */
  readonly records: number;
  readonly scored: number;
  readonly versions: Readonly<Record<string, number>>;
  readonly volume: Volume;
  /** Most drifting first. */
  readonly features: readonly FeatureDrift[];
  readonly prediction: { readonly psi: number; readonly count: number; readonly drifted: boolean } | null;
  readonly findings: readonly Finding[];
  readonly retrain: {
    readonly proposed: boolean;
    readonly reasons: readonly string[];
    readonly commands: readonly string[];
  };
}

export interface MonitorOptions {
  /** ISO instant: records before it are left out. */
  readonly since: string;
  readonly now: Date;
  readonly threshold?: number;
  readonly minRows?: number;
}

/**
 * Compare a model's served records in a window with its training profile: PSI per feature and
 * of the scores, missing-value rates, and volume per day. Retraining is proposed when a feature
 * that does not drift by mere passing of time, or the prediction, crosses the threshold on
 * enough rows. Reads the log in one pass, in bounded memory.
 */
export async function monitorModel(ws: Workspace, name: string, options: MonitorOptions): Promise<ModelMonitor> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const minRows = options.minRows ?? DEFAULT_MIN_ROWS;
  const until = options.now.toISOString();
  const perDay = new Map<string, number>();
  // Rows per day up to now's time of day: today is partial, and traffic follows the clock.
  const byNow = new Map<string, number>();
  const clock = until.slice(10);
  const versions: Record<string, number> = {};
  let last: { version: number; at: string } | null = null;
  const registered = await listModelVersions(ws, name);
  // One pass: counts, and each served version's inputs binned against its own profile (a few
  // small arrays per version); the version that served last is the one judged.
  const bins = new Map<number, Bins | null>();
  for await (const r of readServingLog(ws, name, options.since)) {
    if (r.at > until) continue;
    const day = r.at.slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    if (r.at.slice(10) <= clock) byNow.set(day, (byNow.get(day) ?? 0) + 1);
    versions[r.version] = (versions[r.version] ?? 0) + 1;
    if (last === null || r.at >= last.at) last = { version: r.version, at: r.at };
    if (!bins.has(r.version))
      bins.set(
        r.version,
        await binsFor(
          ws,
          registered.find((v) => v.version === r.version),
        ),
      );
    bins.get(r.version)?.add(r);
  }
  const version =
    (last && registered.find((v) => v.version === last!.version)) || (await resolveModelVersion(ws, name));
  const records = Object.values(versions).reduce((s, n) => s + n, 0);
  const scored = versions[version.version] ?? 0;
  const findings: Finding[] = [];
  const volume = volumeOf(perDay, byNow, options.since, options.now);
  if (records === 0)
    findings.push({
      kind: 'no-traffic',
      message: `No traffic: ${name} served no rows since ${options.since.slice(0, 16).replace('T', ' ')} UTC. Is the server up, and are clients calling it?`,
    });
  else if (volume.ratio !== null && (volume.ratio < 0.5 || volume.ratio > 2)) {
    findings.push({
      kind: 'volume-change',
      message: `Volume: ${volume.today} rows today by ${clock.slice(1, 6)} UTC against ${volume.previousByNow!.toFixed(1)} by then on earlier days: ${volume.ratio < 1 ? 'a drop' : 'a rise'} to ${volume.ratio.toFixed(2)}×.`,
    });
  }

  const judgedBins = bins.get(version.version) ?? (await binsFor(ws, version));
  let features: FeatureDrift[] = [];
  let prediction: ModelMonitor['prediction'] = null;
  if (!judgedBins) {
    findings.push({
      kind: 'no-profile',
      message: `${name}@${version.version} has no training profile (trained before profiles were saved): drift cannot be measured. Retrain it to get one.`,
    });
  } else if (scored > 0) {
    ({ features, prediction } = drift(judgedBins, threshold));
    if (scored < minRows)
      findings.push({
        kind: 'few-rows',
        message: `Only ${scored} served rows of ${name}@${version.version} in the window (fewer than ${minRows}): drift numbers are shown but not judged.`,
      });
  }
  const judged = scored >= minRows;
  const reasons: string[] = [];
  for (const f of features) {
    if (f.drifted && judged) {
      if (f.timeDependent)
        findings.push({
          kind: 'time-drift',
          message: `${f.feature} moved (PSI ${f.psi.toFixed(3)}), as a time-dependent feature does while time passes; not a reason to retrain on its own.`,
        });
      else {
        findings.push({
          kind: 'feature-drift',
          message: `${f.feature} drifted: PSI ${f.psi.toFixed(3)} > ${threshold}.`,
        });
        reasons.push(`${f.feature} PSI ${f.psi.toFixed(3)}`);
      }
    }
    if (judged && f.missing.live - f.missing.training > MISSING_JUMP) {
      findings.push({
        kind: 'missing-rate',
        message: `${f.feature} is missing in ${pct(f.missing.live)} of served rows against ${pct(f.missing.training)} in training: check what feeds it.`,
      });
    }
  }
  if (prediction?.drifted && judged) {
    findings.push({
      kind: 'prediction-drift',
      message: `The predictions drifted: PSI ${prediction.psi.toFixed(3)} > ${threshold} against the training out-of-fold predictions.`,
    });
    reasons.push(`prediction PSI ${prediction.psi.toFixed(3)}`);
  }
  return {
    model: name,
    version: version.version,
    stage: version.stage,
    since: options.since,
    until,
    threshold,
    records,
    scored,
    versions,
    volume,
    features,
    prediction,
    findings,
    retrain: { proposed: reasons.length > 0, reasons, commands: reasons.length > 0 ? retrainCommands(version) : [] },
  };
}

/** A version's training profile and the live values binned against it. */
interface Bins {
  readonly profile: TrainingProfile;
  readonly features: readonly BinAccumulator[];
  readonly score: BinAccumulator;
  add(r: ServedRecord): void;
}

/** Bins for a version's records; null when it has no training profile (or is not registered). */
async function binsFor(ws: Workspace, version: ModelVersion | undefined): Promise<Bins | null> {
  if (!version?.profile) return null;
  const profile = (await (await ws.objects()).getJson(version.profile)) as TrainingProfile;
  const features = profile.features.map((f) => new BinAccumulator(f));
  const score = new BinAccumulator(profile.prediction);
  return {
    profile,
    features,
    score,
    add(r) {
      profile.features.forEach((f, i) => features[i]!.add(r.features[f.feature] ?? null));
      score.add(r.score);
    },
  };
}

function drift({ profile, features: acc, score }: Bins, threshold: number) {
  const features = profile.features
    .map((f, i): FeatureDrift => {
      const live = acc[i]!.result();
      const time = timeDependent(f.feature, f.treatment);
      return {
        feature: f.feature,
        treatment: f.treatment,
        psi: live.psi,
        count: live.count,
        missing: { training: f.shares[f.shares.length - 1]!, live: live.shares[live.shares.length - 1]! },
        timeDependent: time,
        drifted: live.psi > threshold,
      };
    })
    .sort((a, b) => b.psi - a.psi || (a.feature < b.feature ? -1 : 1));
  const p = score.result();
  return { features, prediction: { psi: p.psi, count: p.count, drifted: p.psi > threshold } };
}

function volumeOf(
  perDay: ReadonlyMap<string, number>,
  byNow: ReadonlyMap<string, number>,
  since: string,
  now: Date,
): Volume {
  const days = daysOf(since, now).map((day) => ({ day, rows: perDay.get(day) ?? 0 }));
  const today = days[days.length - 1]?.rows ?? 0;
  // A window starting mid-day holds part of its first day: a whole day's mean would read it low.
  const partial = !since.endsWith('T00:00:00.000Z');
  const before = days.slice(partial ? 1 : 0, -1);
  const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);
  const previousMean = mean(before.map((d) => d.rows));
  const previousByNow = mean(before.map((d) => byNow.get(d.day) ?? 0));
  return { days, today, previousMean, previousByNow, ratio: previousByNow ? today / previousByNow : null };
}

/** The steps that retrain on today's data: re-read the sources, rebuild features, train. */
export function retrainCommands(v: ModelVersion): string[] {
  const name = v.name === `${v.target.table}.${v.target.column}` ? '' : ` --name ${v.name}`;
  return [
    'fathom explore',
    ...(v.scoring ? ['fathom features'] : []),
    `fathom train --target ${v.target.table}.${v.target.column}${name}`,
  ];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
