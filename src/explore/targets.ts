import type { Relationship, TargetFact } from '../catalog/catalog.js';
import { targetLikeName } from './column-names.js';
import type { TableProfile } from './profile-table.js';

const MAX_TARGETS = 5;
const MAX_CLASSES = 20;

/**
 * Columns worth predicting, ranked: booleans and few-valued categories named like outcomes,
 * in tables that other tables refer to (entities with a history). Keys, references, ids,
 * datetimes, free text and personal data are never targets.
 */
export function rankTargets(tables: readonly TableProfile[], relationships: readonly Relationship[]): TargetFact[] {
  const referenced = new Set(relationships.map((r) => `${r.toSource}\u0000${r.to.table}`));
  const references = new Set(
    relationships.flatMap((r) => r.from.columns.map((c) => `${r.fromSource}\u0000${r.from.table}\u0000${c}`)),
  );
  const out: TargetFact[] = [];
  for (const t of tables) {
    const keyCols = new Set(t.primaryKey?.columns ?? []);
    for (const c of t.columns) {
      if (c.pii || keyCols.has(c.name) || references.has(`${t.source}\u0000${t.table}\u0000${c.name}`)) continue;
      if (c.semanticType === 'id' || c.semanticType === 'datetime' || c.semanticType === 'text') continue;
      const nonNull = t.rows - c.stats.nulls;
      if (c.stats.distinct < 2 || nonNull < 10) continue;
      const evidence: string[] = [];
      let kind: TargetFact['kind'];
      let s: number;
      if (c.semanticType === 'boolean' || c.stats.distinct === 2) {
        kind = 'binary';
        s = c.semanticType === 'boolean' ? 0.4 : 0.35;
        const minority = c.stats.top.length === 2 ? Math.min(...c.stats.top.map((x) => x.count)) / nonNull : null;
        evidence.push(`two values${minority !== null ? `, minority class ${Math.round(minority * 1000) / 10}%` : ''}`);
        if (minority !== null && minority < 0.01) {
          s -= 0.15;
          evidence.push('very rare positive class');
        }
      } else if (c.semanticType === 'categorical' && c.stats.distinct <= MAX_CLASSES) {
        kind = 'multiclass';
        s = 0.2;
        evidence.push(`${c.stats.distinct} classes`);
      } else if (c.semanticType === 'numeric') {
        kind = 'regression';
        s = 0.12;
        evidence.push('numeric');
      } else continue;
      if (targetLikeName(c.name)) {
        s += 0.4;
        evidence.push('name reads like an outcome');
      }
      if (referenced.has(`${t.source}\u0000${t.table}`)) {
        s += 0.1;
        evidence.push(`${t.table} is an entity other tables refer to`);
      }
      if (c.stats.nulls / Math.max(1, t.rows) > 0.2) {
        s -= 0.2;
        evidence.push(`${Math.round((c.stats.nulls / t.rows) * 100)}% missing`);
      }
      if (s >= 0.15)
        out.push({
          table: t.table,
          column: c.name,
          kind,
          confidence: Math.round(Math.min(0.95, s) * 100) / 100,
          status: 'suggested',
          evidence,
        });
    }
  }
  return out.sort((a, b) => b.confidence - a.confidence).slice(0, MAX_TARGETS);
}
