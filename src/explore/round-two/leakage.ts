import type { Row } from '../../engine/engine.js';
import { epochOf } from './feature-values.js';
import type { ColumnProfile } from '../profile-table.js';
import type { FeatureAssociation, LeakageSuspect } from '../../catalog/round-two-types.js';
import type { CodedTarget } from './feature-association.js';
import { missingnessAuc } from './association-metrics.js';

/** A single feature this predictive of the target is more likely a leak than a finding. */
export const LEAK_AUC = 0.98;
export const LEAK_NORMALIZED_MI = 0.9;
/** A date later than the row's time index in this share of rows was recorded after it. */
const LATER_SHARE = 0.5;
/** Missingness alone this predictive (AUC) says the value is filled in because of the outcome. */
const MISSINGNESS_AUC = 0.9;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** (a) Features that predict the target almost perfectly, on the sample. */
export function predictiveLeaks(
  table: string,
  associations: readonly FeatureAssociation[],
  sampleRows: number,
): LeakageSuspect[] {
  const out: LeakageSuspect[] = [];
  for (const a of associations) {
    if (a.column === null) continue;
    const byAuc = a.auc !== null && a.auc >= LEAK_AUC;
    const byMi = a.normalizedMi >= LEAK_NORMALIZED_MI;
    if (!byAuc && !byMi) continue;
    const evidence: string[] = [];
    if (a.auc !== null)
      evidence.push(
        `a model using ${a.column} alone reaches AUC ${a.auc.toFixed(3)} (${a.kind === 'categorical' ? 'target rate per value, learned out of fold' : 'rank AUC'}, ${sampleRows} rows)`,
      );
    evidence.push(
      `it explains ${pct(a.normalizedMi)} of the target's entropy (mutual information ${a.mutualInformation.toFixed(3)} bits)`,
    );
    if (a.missingShare > 0) evidence.push(`${pct(a.missingShare)} of rows have no value`);
    evidence.push('so good a single predictor is usually recorded because of the outcome, not before it');
    const confidence = Math.max(
      byAuc ? 0.9 + (a.auc! - LEAK_AUC) * 4.5 : 0,
      byMi ? 0.85 + (a.normalizedMi - LEAK_NORMALIZED_MI) * 1.4 : 0,
    );
    out.push({
      table,
      column: a.column,
      reason: 'predicts_target',
      evidence,
      confidence: round(Math.min(0.99, confidence)),
    });
  }
  return out;
}

/**
 * (b) Date columns of the target table recorded after the row's time: later than the time
 * index in most rows, or present only for some outcomes (missingness alone predicts the target).
 */
export function lateRecordedLeaks(
  table: string,
  rows: readonly Row[],
  columns: readonly ColumnProfile[],
  timeIndex: string | null,
  target: CodedTarget,
): LeakageSuspect[] {
  const out: LeakageSuspect[] = [];
  const index = columns.find((c) => c.name === timeIndex);
  for (const c of columns) {
    if (c.semanticType !== 'datetime' || c.name === timeIndex) continue;
    const evidence: string[] = [];
    let confidence = 0;
    if (index) {
      let both = 0;
      let later = 0;
      for (const r of rows) {
        const t = epochOf(r[index.name] ?? null);
        const v = epochOf(r[c.name] ?? null);
        if (Number.isNaN(t) || Number.isNaN(v)) continue;
        both++;
        if (v > t) later++;
      }
      if (both > 0 && later / both > LATER_SHARE) {
        evidence.push(
          `${c.name} is later than the time index ${index.name} in ${pct(later / both)} of the ${both} rows that have both`,
        );
        confidence = Math.max(confidence, 0.6 + (later / both - LATER_SHARE) * 0.6);
      }
    }
    if (target.positive) {
      const missing = Uint8Array.from(rows, (r) => (r[c.name] === null || r[c.name] === undefined ? 1 : 0));
      const m = missingnessAuc(missing, target.positive);
      if (m !== null && m >= MISSINGNESS_AUC) {
        const rate = (want: number) => {
          let n = 0;
          let p = 0;
          missing.forEach((x, i) => {
            if (x === want) {
              n++;
              p += target.positive![i]!;
            }
          });
          return n === 0 ? null : p / n;
        };
        const [absent, present] = [rate(1), rate(0)];
        evidence.push(
          `whether ${c.name} is filled in alone predicts the target (AUC ${m.toFixed(3)}): positive rate ${present === null ? 'n/a' : pct(present)} where it is set, ${absent === null ? 'n/a' : pct(absent)} where it is empty`,
        );
        confidence = Math.max(confidence, 0.7 + (m - MISSINGNESS_AUC) * 2);
      }
    }
    if (evidence.length > 0) {
      evidence.push('a value recorded after the prediction time is not known when the prediction is made');
      out.push({
        table,
        column: c.name,
        reason: 'recorded_after_target_time',
        evidence,
        confidence: round(Math.min(0.95, confidence)),
      });
    }
  }
  return out;
}

const round = (x: number): number => Math.round(x * 100) / 100;
