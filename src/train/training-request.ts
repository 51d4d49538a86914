import type { Workspace } from '../workspace/open-workspace.js';
import { badInput } from '../util/fathom-error.js';
import { confirmedTarget, tableReview } from '../metadata/table-review.js';
import { TABLES, tableKey } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import type { TrainingRequest } from './load-training-table.js';
import type { MetricName } from '../learn/eval/metrics.js';
import type { Family } from '../learn/search/learners.js';

/** What to load (table, target, split columns) and how to search. */
export interface TrainRequest extends TrainingRequest {
  readonly metric?: MetricName;
  readonly seed: number;
  readonly folds: number;
  /** Wall-clock budget for the whole training, from its start. */
  readonly timeBudgetMs: number | null;
  /** Work-unit budget for the search: the result then does not depend on the machine's speed. */
  readonly budgetUnits: number | null;
  readonly name?: string;
  /** Model families to search (default: all). */
  readonly families?: readonly Family[];
  /** false: train on the table alone, even when related tables give a feature matrix. */
  readonly features?: boolean;
}

/** A training request as a person gives it: the target and its split columns may be left to review. */
export interface TrainingGiven extends Omit<TrainRequest, 'table' | 'column'> {
  /** TABLE.COLUMN to predict; default: the target confirmed in review. */
  readonly target?: string;
}

export interface ResolvedTraining {
  readonly request: TrainRequest;
  /** Where the target came from: as given, or the one confirmed in review. */
  readonly targetFrom: 'given' | 'review';
  /** Where the time split's column came from; null: no time split. */
  readonly timeColumnFrom: 'given' | 'review' | null;
}

/**
 * The full training request: the target as given, else the one confirmed in review, with its
 * source and its table's confirmed time index (a time split, unless a time column is given).
 * A target given by name uses only what is given: review's time index belongs to its target.
 */
export async function resolveTrainingRequest(ws: Workspace, given: TrainingGiven): Promise<ResolvedTraining> {
  const { target: text, ...rest } = given;
  const reviewed = text === undefined ? await reviewedTarget(ws) : null;
  const target = reviewed ?? parseTarget(text);
  const source = given.source ?? reviewed?.source;
  const timeColumn = given.timeColumn ?? reviewed?.timeColumn ?? undefined;
  return {
    request: {
      ...rest,
      table: target.table,
      column: target.column,
      ...(source !== undefined ? { source } : {}),
      ...(timeColumn !== undefined ? { timeColumn } : {}),
    },
    targetFrom: reviewed ? 'review' : 'given',
    timeColumnFrom: given.timeColumn !== undefined ? 'given' : timeColumn !== undefined ? 'review' : null,
  };
}

async function reviewedTarget(
  ws: Workspace,
): Promise<{ table: string; column: string; source: string; timeColumn: string | null } | null> {
  const target = await confirmedTarget(ws);
  if (!target) return null;
  const table = await ws.ledger().then((l) => l.getState<SourceTable>(TABLES, tableKey(target.source, target.table)));
  const timeColumn = table ? (await tableReview(ws, target.source, table.value)).confirmedTimeIndex : null;
  return { table: target.table, column: target.column, source: target.source, timeColumn };
}

/** TABLE.COLUMN (the table part may not be empty, nor the column); undefined: no target was named. */
export function parseTarget(value: string | undefined): { table: string; column: string } {
  if (value === undefined) {
    throw badInput(
      'fathom train needs a target: --target TABLE.COLUMN, or one confirmed in review',
      'Name the column to predict, e.g. --target customers.churned, or confirm one: fathom tag customers.churned --target',
    );
  }
  const dot = value.indexOf('.');
  if (dot <= 0 || dot === value.length - 1)
    throw badInput(`--target must be TABLE.COLUMN, got "${value}"`, 'e.g. --target customers.churned');
  return { table: value.slice(0, dot), column: value.slice(dot + 1) };
}
