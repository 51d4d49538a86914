import type { ColumnInfo } from '../engine/engine.js';
import type { ColumnData } from '../engine/read-columns.js';
import type { Task, TaskKind } from '../learn/dataset.js';
import { badInput } from '../util/fathom-error.js';
import { valueAt } from './feature-plan.js';

/** More distinct text values than this is not a classification target we would guess. */
export const MAX_CLASSES = 100;

export interface TargetValues {
  readonly task: Task;
  /** Class index or regression value per kept row. */
  readonly target: Float64Array;
  /** Rows with a target value (nulls are dropped from training). */
  readonly keep: Int32Array;
}

/**
 * Infer the task from the target column: booleans and two distinct values are binary, other
 * text is multiclass, other numbers are regression. Classes are sorted, so the positive class
 * of a binary target is the later one (true, 1, yes). `kind` overrides the guess.
 */
export function targetValues(
  name: string,
  info: ColumnInfo,
  data: ColumnData,
  rows: number,
  kind?: TaskKind,
): TargetValues {
  const keepList: number[] = [];
  const distinct = new Map<string, number>();
  for (let r = 0; r < rows; r++) {
    const v = valueAt(data, r);
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    keepList.push(r);
    const t = typeof v === 'number' ? String(v) : String(v);
    if (distinct.size <= MAX_CLASSES + 1 || distinct.has(t)) distinct.set(t, (distinct.get(t) ?? 0) + 1);
  }
  if (keepList.length === 0)
    throw badInput(
      `Target column ${name} has no values: every row is null`,
      'Pick a column with values: fathom train --target TABLE.COLUMN',
    );
  if (distinct.size === 1)
    throw badInput(
      `Target column ${name} is constant (every row is ${JSON.stringify([...distinct.keys()][0])}): there is nothing to learn`,
      'Pick another target column.',
    );
  const numeric =
    data.kind === 'number' ||
    info.logicalType === 'integer' ||
    info.logicalType === 'float' ||
    info.logicalType === 'decimal';
  const guessed: TaskKind = distinct.size === 2 ? 'binary' : numeric ? 'regression' : 'multiclass';
  const task = kind ?? guessed;
  const keep = Int32Array.from(keepList);
  if (task === 'regression') {
    if (!numeric)
      throw badInput(
        `Target column ${name} holds text (${info.physicalType}); regression needs numbers`,
        'Use --task binary or --task multiclass, or pick a numeric column.',
      );
    const target = new Float64Array(keep.length);
    keep.forEach((r, j) => (target[j] = Number(valueAt(data, r))));
    return { task: { kind: 'regression' }, target, keep };
  }
  if (distinct.size > MAX_CLASSES) {
    throw badInput(
      `Target column ${name} has more than ${MAX_CLASSES} distinct values: too many classes to classify`,
      numeric ? 'Use --task regression.' : 'Pick a target with fewer classes.',
    );
  }
  const classes = [...distinct.keys()].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (task === 'binary' && classes.length !== 2)
    throw badInput(`Target column ${name} has ${classes.length} classes, not 2`, 'Use --task multiclass.');
  const index = new Map(classes.map((c, i) => [c, i]));
  const target = new Float64Array(keep.length);
  keep.forEach((r, j) => (target[j] = index.get(String(valueAt(data, r)))!));
  return { task: { kind: task, classes }, target, keep };
}
