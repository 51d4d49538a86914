import { resolve } from 'node:path';
import type { Engine, Row } from '../../engine/engine.js';
import type { Dataset } from '../../learn/dataset.js';
import type { Workspace } from '../../workspace/open-workspace.js';
import { openServingEngine } from '../scoring-engine.js';
import { keyKind } from '../../features/scoring-plan.js';
import { reviewedCatalog } from '../../metadata/reviewed-catalog.js';
import { badInput, FathomError } from '../../util/fathom-error.js';
import type { ModelVersion } from '../model-registry.js';
import { entityDataset, InputError, loadServedModel, predictDataset, type ServedModel } from '../served-model.js';
import { openBatchInput, type BatchInput } from './batch-input.js';
import { openBatchOutput, outputFormat, type OutputFormat } from './batch-output.js';
import { outputColumns, outputRow } from './batch-columns.js';
import { featureRowsToDataset } from './feature-rows.js';

export const BATCH_KIND = 'deploy.batch';
export const DEFAULT_CHUNK = 10_000;
/**
 * Entities per feature query, at most. Measured on the shop demo (20k keys, 2 cores): 2,500 per
 * query peaked at 540 MB RSS and 10,000 at 770 MB, at the same ~2,800 rows/s.
 */
export const ENTITY_QUERY_ROWS = 2_500;

export interface BatchOptions {
  /** Rows scored per step (default 10,000; entity keys at most ENTITY_QUERY_ROWS): memory is bounded by this, not by the input. */
  readonly chunk?: number;
  /** Add each row's SHAP contributions (`contribution:FEATURE` columns and `contribution_base`). */
  readonly explain?: boolean;
  /** Where relative paths start (default the process's). */
  readonly cwd?: string;
  /** The cutoff of entities without one (default: now, once for the whole batch). */
  readonly now?: Date;
  /** Record the run in the ledger (default true). */
  readonly record?: boolean;
}

export interface BatchHooks {
  /** After each chunk: rows scored so far of the input's total. */
  progress?(done: number, total: number): void;
}

export interface BatchSummary {
  readonly model: string;
  readonly version: number;
  readonly input: string;
  readonly output: string;
  readonly format: OutputFormat;
  /** `features`: the input held the model's features; `entities`: its keys, features computed. */
  readonly mode: 'features' | 'entities';
  readonly rows: number;
  readonly columns: readonly string[];
  readonly ms: number;
  /** The cutoff given to entities without one (entities mode). */
  readonly now: string | null;
  readonly seq: number | null;
}

/**
 * Score every row of a file or table with a registered model and write the predictions to a
 * CSV or Parquet file (whole, or not at all). Input holding the model's feature columns is
 * scored as is; input holding the scoring plan's key columns (and optionally `cutoff`) gets its
 * features computed per chunk on one engine. Batch rows are not written to the serving log:
 * monitoring watches live traffic, and one large batch would swamp its volume and drift numbers.
 */
export async function scoreBatch(
  ws: Workspace,
  version: ModelVersion,
  input: string,
  output: string,
  options: BatchOptions = {},
  hooks: BatchHooks = {},
): Promise<BatchSummary> {
  const started = performance.now();
  const chunk = options.chunk ?? DEFAULT_CHUNK;
  if (!Number.isSafeInteger(chunk) || chunk < 1)
    throw badInput(`Chunk size must be a positive integer, got ${chunk}`, 'e.g. --chunk 10000');
  outputFormat(output); // refuse a bad output name before reading anything
  const m = await loadServedModel(ws, version);
  const now = options.now ?? new Date();
  const source = await openBatchInput(ws, input, options.cwd ?? process.cwd());
  let scoring: Engine | null = null;
  try {
    const mode = inputMode(m, source, await tableKey(ws, m));
    // The engine serving uses: the same tables and threads give the same bits as the API.
    if (mode.kind === 'entities') scoring = (await openServingEngine(ws, m.scoring!)).engine;
    const columns = outputColumns(m, source, mode.ids, options.explain === true);
    const out = await openBatchOutput(resolve(options.cwd ?? process.cwd(), output), columns);
    let done = 0;
    try {
      const step = mode.kind === 'entities' ? Math.min(chunk, ENTITY_QUERY_ROWS) : chunk;
      for await (const rows of source.engine.stream(source.sql, [], step)) {
        const data =
          mode.kind === 'features'
            ? featureRowsToDataset(m.plan, rows, done + 1, source.label)
            : await entities(scoring!, m, rows, done + 1, source.label, mode.cutoff, now);
        const predictions = predictDataset(m, data, { explain: options.explain === true });
        await out.write(rows.map((row, r) => outputRow(m, mode.ids, row, done + r + 1, predictions[r]!)));
        done += rows.length;
        hooks.progress?.(done, Math.max(done, source.rows));
      }
      if (done === 0) throw badInput(`${source.label} has no rows to score`, 'Give an input with at least one row.');
      await out.commit();
    } catch (err) {
      await out.abort();
      throw err;
    }
    const summary = {
      model: m.version.name,
      version: m.version.version,
      input: source.label,
      output: out.path,
      format: out.format,
      mode: mode.kind,
      rows: done,
      columns: columns.map((c) => c.name),
      ms: Math.round(performance.now() - started),
      now: mode.kind === 'entities' ? now.toISOString() : null,
    };
    const seq = options.record === false ? null : await record(ws, summary);
    return { ...summary, seq };
  } finally {
    await scoring?.close();
    await source.close();
  }
}

interface InputMode {
  readonly kind: 'features' | 'entities';
  /** Input columns copied to the output to say which row is which; empty: a `row` number. */
  readonly ids: readonly string[];
  readonly cutoff: boolean;
}

/**
 * Feature columns first (carrying the table's key columns when the input has them); else the
 * scoring plan's keys; else say what is missing and both ways.
 */
export function inputMode(
  m: ServedModel,
  input: Pick<BatchInput, 'columns' | 'label'>,
  key: readonly string[] = m.scoring?.key ?? [],
): InputMode {
  const have = new Set(input.columns.map((c) => c.name));
  const missingFeatures = m.plan.features.map((f) => f.column).filter((c) => !have.has(c));
  const keys = m.scoring?.key ?? [];
  const keysPresent = keys.length > 0 && keys.every((k) => have.has(k));
  if (missingFeatures.length === 0)
    return { kind: 'features', ids: key.length > 0 && key.every((k) => have.has(k)) ? key : [], cutoff: false };
  if (m.scoring && keysPresent)
    return { kind: 'entities', ids: keys, cutoff: have.has('cutoff') && m.scoring.cutoff.kind !== 'none' };
  const shown =
    missingFeatures
      .slice(0, 5)
      .map((c) => JSON.stringify(c))
      .join(', ') + (missingFeatures.length > 5 ? ` and ${missingFeatures.length - 5} more` : '');
  const ways = m.scoring
    ? `Give either the entity keys of ${m.scoring.table} (column${keys.length > 1 ? 's' : ''} ${keys.map((k) => JSON.stringify(k)).join(', ')}, missing${m.scoring.cutoff.kind !== 'none' ? '; optionally a "cutoff" column' : ''}) and Fathom computes the features, or all ${m.plan.features.length} feature columns (missing: ${shown}).`
    : `Give all ${m.plan.features.length} feature columns of the model (missing: ${shown}).`;
  throw badInput(
    `${input.label} has neither the model's feature columns nor its entity keys`,
    `${ways} The model card lists the features: fathom models ${m.version.name} --json.`,
  );
}

/** The key of the model's table: its scoring plan's, else the catalog's primary key (unless rejected). */
async function tableKey(ws: Workspace, m: ServedModel): Promise<readonly string[]> {
  if (m.scoring) return m.scoring.key;
  const catalog = await reviewedCatalog(ws);
  const table = catalog.tables.find((t) => t.source === m.version.target.source && t.name === m.version.target.table);
  return table?.primaryKey && table.primaryKey.status !== 'rejected' ? table.primaryKey.columns : [];
}

async function entities(
  engine: Engine,
  m: ServedModel,
  rows: readonly Row[],
  first: number,
  label: string,
  cutoff: boolean,
  now: Date,
): Promise<Dataset> {
  const keys = m.scoring!.key;
  const kinds = m.scoring!.keyTypes.map(keyKind);
  const objects = rows.map((row, r) => {
    const o: Record<string, unknown> = {};
    keys.forEach((k, i) => {
      const v = row[k] ?? null;
      // The engine would fail the whole chunk casting it, without saying which row.
      if (
        typeof v === 'string' &&
        kinds[i] !== 'text' &&
        !(kinds[i] === 'integer' ? /^\s*[+-]?\d+\s*$/.test(v) : v.trim() !== '' && Number.isFinite(Number(v)))
      ) {
        throw badInput(
          `${label} row ${first + r}, column ${JSON.stringify(k)}: ${JSON.stringify(v)} is not ${kinds[i] === 'integer' ? 'an integer' : 'a number'}, as the key of ${m.scoring!.table} is (${m.scoring!.keyTypes[i]})`,
          'Fix the value in the input, then run again.',
        );
      }
      o[k] = v;
    });
    if (cutoff && row.cutoff !== null && row.cutoff !== undefined) o.cutoff = row.cutoff;
    return o;
  });
  try {
    return await entityDataset(engine, m, objects, now);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const message = err.message.replace(/^entity \d+: /, '');
    throw badInput(
      `${label} row ${first + err.row}${err.field ? `, column ${JSON.stringify(err.field)}` : ''}: ${message}`,
      'Fix the value in the input, then run again.',
    );
  }
}

async function record(ws: Workspace, s: Omit<BatchSummary, 'seq'>): Promise<number> {
  try {
    const entry = await (
      await ws.ledger()
    ).append({
      kind: BATCH_KIND,
      status: 'recorded',
      workerId: ws.config.workerId,
      params: { name: s.model, version: s.version, input: s.input, output: s.output },
      detail: { mode: s.mode, rows: s.rows, format: s.format, ms: s.ms, now: s.now },
    });
    return entry.seq;
  } catch (err) {
    throw new FathomError(
      'failed',
      `The predictions were written to ${s.output}, but recording the run in the ledger failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
