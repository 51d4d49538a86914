import type { Row } from '../engine/engine.js';
import type { AssocColumn } from './associations.js';
import type { ColumnProfile } from './profile-table.js';
import { toNumber } from './sample-stats.js';

/** Bounds the O(k²) pair count: 30 columns make 435 pairs. */
const MAX_COLUMNS = 30;
const MAX_LEVELS = 50;

/** The columns worth associating: numeric, categorical and boolean ones; not ids, text or PII. */
export function associationColumns(profiles: readonly ColumnProfile[], rows: readonly Row[]): AssocColumn[] {
  const out: AssocColumn[] = [];
  for (const p of profiles) {
    if (out.length >= MAX_COLUMNS) break;
    if (p.pii || p.stats.nulls === rows.length) continue;
    if (p.semanticType === 'numeric' && p.stats.distinct > 1) {
      out.push({
        name: p.name,
        kind: 'numeric',
        values: Float64Array.from(rows, (r) => toNumber(r[p.name] ?? null, p.logicalType)),
      });
    } else if (
      (p.semanticType === 'categorical' || p.semanticType === 'boolean') &&
      p.stats.distinct > 1 &&
      p.stats.distinct <= MAX_LEVELS
    ) {
      const levels = new Map<string, number>();
      const codes = Int32Array.from(rows, (r) => {
        const v = r[p.name];
        // Missing is a level of its own: "reason is missing exactly when churned is false" is
        // the strongest association there is (and a classic leak).
        const k = v === null || v === undefined ? '\u0000missing' : String(v);
        let code = levels.get(k);
        if (code === undefined) levels.set(k, (code = levels.size));
        return code;
      });
      out.push({ name: p.name, kind: 'categorical', codes, levels: levels.size });
    }
  }
  return out;
}
