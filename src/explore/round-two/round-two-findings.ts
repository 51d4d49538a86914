import type { RoundTwo } from '../../catalog/round-two-types.js';

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
const num = (x: number): string => (Number.isInteger(x) ? String(x) : x < 1 ? x.toPrecision(2) : x.toFixed(1));

/** Plain-language sentences about round two, in the manner of findings.ts. */
export function roundTwoFindings(r: Omit<RoundTwo, 'findings'>): string[] {
  const out: string[] = [];
  const t = `${r.target.table}.${r.target.column}`;
  const s = r.targetSummary;
  if (s.classes && s.classes.length > 0) {
    out.push(
      `${t} is ${r.target.kind}: ${s.classes
        .slice(0, 5)
        .map((c) => `${c.value} ${pct(c.share)} (${c.count})`)
        .join(', ')}${s.classes.length > 5 ? `, and ${s.classes.length - 5} more classes` : ''}.`,
    );
  } else if (s.distribution?.quantiles) {
    const q = s.distribution.quantiles;
    out.push(`${t} is a regression target: median ${q['p50']}, middle half between ${q['p25']} and ${q['p75']}.`);
  }
  for (const n of s.notes) out.push(`${t}: ${n}.`);
  const top = r.associations.ranked
    .filter((a) => !r.leakage.some((l) => l.column === a.column && l.table === a.table))
    .slice(0, 3);
  if (top.length > 0) {
    const how = (a: (typeof top)[number]) =>
      a.auc !== null ? `AUC ${a.auc.toFixed(2)}` : `normalised MI ${a.normalizedMi.toFixed(2)}`;
    out.push(
      `Apart from suspected leaks, the strongest single predictors of ${t} are ${top.map((a) => `${a.feature} (${how(a)})`).join(', ')} (${r.associations.sampling}).`,
    );
  }
  for (const l of r.leakage) {
    const why =
      l.reason === 'predicts_target' ? 'predicts the target almost perfectly' : 'looks recorded after the target time';
    out.push(
      `${l.table}.${l.column} ${why} (${l.evidence[0]}): probably a leak; ignore it in review unless it is known before the prediction is made.`,
    );
  }
  for (const rel of r.relationships) {
    const f = rel.fanOut;
    if (f && f.parents > 0) {
      out.push(
        `Each ${rel.to.table} row has ${num(f.mean)} ${rel.from.table} rows on average (median ${f.p50}, 95th percentile ${f.p95}, max ${f.max}); ${pct(f.childless / f.parents)} have none.`,
      );
    }
    const best = rel.aggregates[0];
    if (best && (best.auc ?? 0) >= 0.6)
      out.push(`${best.feature} per ${rel.to.table} row relates to ${t} (AUC ${best.auc!.toFixed(2)}).`);
  }
  for (const d of r.drift) {
    for (const c of d.columns.filter((x) => x.flagged))
      out.push(
        `${d.table}.${c.column} drifts over ${d.table}.${d.timeIndex}: PSI up to ${c.maxPsi.toFixed(2)} against the first of ${d.windows.length} time windows.`,
      );
    const rates = d.windows.map((w) => w.targetRate).filter((x): x is number => x !== null);
    if (rates.length > 1 && r.target.kind === 'binary') {
      out.push(
        `The share of ${t} = ${s.positive} goes from ${pct(rates[0]!)} in the first window of ${d.table}.${d.timeIndex} to ${pct(rates.at(-1)!)} in the last.`,
      );
    }
  }
  if (r.proposals.length > 0)
    out.push(
      `${r.proposals.length} derived variables are proposed from the confirmed relationships and time indexes, e.g. ${r.proposals
        .slice(0, 3)
        .map((p) => `"${p.description}"`)
        .join(', ')}.`,
    );
  return out;
}
