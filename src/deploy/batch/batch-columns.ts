import type { LogicalType, Row, SqlValue } from '../../engine/engine.js';
import type { Prediction, ServedModel } from '../served-model.js';
import type { BatchInput } from './batch-input.js';
import type { OutputColumn, OutputType } from './batch-output.js';

/**
 * The columns of a batch output: the input's id columns (or `row`), `prediction`, then
 * `probability` (binary) or `probability:CLASS` (multiclass), then with explanations
 * `contribution_base` and `contribution:FEATURE` per feature (SHAP, on the link scale).
 */
export function outputColumns(
  m: ServedModel,
  input: BatchInput,
  ids: readonly string[],
  explain: boolean,
): OutputColumn[] {
  const types = new Map(input.columns.map((c) => [c.name, c.type]));
  const task = m.model.task;
  const cols: OutputColumn[] =
    ids.length > 0 ? ids.map((k) => ({ name: k, type: outputType(types.get(k)!) })) : [{ name: 'row', type: 'BIGINT' }];
  cols.push({ name: 'prediction', type: task.kind === 'regression' ? 'DOUBLE' : 'VARCHAR' });
  if (task.kind === 'binary') cols.push({ name: 'probability', type: 'DOUBLE' });
  if (task.kind === 'multiclass')
    for (const c of task.classes!) cols.push({ name: `probability:${c}`, type: 'DOUBLE' });
  if (explain) {
    cols.push({ name: 'contribution_base', type: 'DOUBLE' });
    for (const f of m.plan.features) cols.push({ name: `contribution:${f.column}`, type: 'DOUBLE' });
  }
  return cols;
}

function outputType(t: LogicalType): OutputType {
  switch (t) {
    case 'integer':
      return 'BIGINT';
    case 'float':
    case 'decimal':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    default:
      return 'VARCHAR';
  }
}

export function outputRow(m: ServedModel, ids: readonly string[], row: Row, n: number, p: Prediction): SqlValue[] {
  const out: SqlValue[] = ids.length > 0 ? ids.map((k) => row[k] ?? null) : [n];
  const task = m.model.task;
  out.push(p.prediction);
  if (task.kind === 'binary') out.push(Number.isNaN(p.probability!) ? null : p.probability!);
  if (task.kind === 'multiclass') for (const c of task.classes!) out.push(p.probabilities?.[c] ?? null);
  if (p.explanation) {
    out.push(p.explanation.base);
    for (const f of m.plan.features) out.push(p.explanation.contributions[f.column] ?? null);
  }
  return out;
}
