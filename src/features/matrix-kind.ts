import { join } from 'node:path';
import type { ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import { openEngine, sourceTable, workspaceOf } from '../explore/explore-context.js';
import { tableKey } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import { FathomError } from '../util/fathom-error.js';
import { queryToParquet } from './write-parquet.js';
import type { MatrixColumn } from './matrix-column.js';

export interface MatrixParams {
  /** `source.table.column` of the target: the subject, so an edited table makes it stale, not new. */
  readonly target: string;
  readonly source: string;
  /** Tables the query reads, in the order of the action's inputs (their data fingerprints). */
  readonly tables: readonly string[];
  readonly sql: string;
  readonly columns: readonly MatrixColumn[];
}

/**
 * Materialise a feature matrix: run its compiled SQL where the data lives and store the result
 * as Parquet in the object store. Its params hold the whole query, and its inputs the data
 * fingerprints of every table read, so the ledger entry alone rebuilds the same bytes, and
 * changed data or changed metadata (a new query) makes a new matrix.
 */
export const matrixKind: ActionKind<MatrixParams, Uint8Array> = registerActionKind({
  kind: 'features.matrix',
  // 2: computed on one thread, so the bytes are reproducible. 3: columns cast to their declared types.
  // 4: the target in params (the subject the planner compares).
  version: '4',
  subject: (p) => p.target,
  async run(ctx, params, inputs) {
    const ws = workspaceOf(ctx);
    const tables: SourceTable[] = [];
    let record: Awaited<ReturnType<typeof sourceTable>>['record'] | undefined;
    for (const [i, name] of params.tables.entries()) {
      const found = await sourceTable(ws, params.source, name);
      if (inputs[i] !== undefined && found.table.fingerprint !== inputs[i]!.fingerprint) {
        throw new FathomError(
          'failed',
          `${tableKey(params.source, name)} changed after this feature matrix was planned`,
          { hint: 'Run fathom features again: it plans against the current data.' },
        );
      }
      record = found.record;
      tables.push(found.table);
    }
    const engine = await openEngine(ws, record!, tables);
    try {
      ctx.log(`features.matrix: computing ${params.columns.length} columns from ${params.tables.join(', ')}`);
      return await queryToParquet(engine, params.sql, params.columns, join(ws.paths.cache, 'features-tmp'));
    } finally {
      await engine.close();
    }
  },
});
