/**
 * Test helpers for feature synthesis: write the fixture (feature-fixture.ts) as CSV files, a
 * SQLite file or a Postgres schema, drive the real CLI to a reviewed workspace, build features,
 * read the matrix Parquet back from the object store, and compare matrices cell by cell.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Engine, Row, SqlValue } from '../engine/engine.js';
import { openEngine } from '../engine/open-engine.js';
import { sourceTable } from '../explore/explore-context.js';
import { runFathomOk } from '../testing/run-cli.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { scoringPlanFor } from './scoring-plan-for.js';
import { scoreEntities } from './scoring-plan.js';
import type { FeatureSetRecord } from './feature-set-record.js';
import type { FixtureTable, FixtureType, FixtureValue } from './feature.fixture.js';

const csvCell = (v: FixtureValue): string =>
  v === null ? '' : typeof v === 'string' ? `"${v.replaceAll('"', '""')}"` : String(v);

export async function writeCsvFixture(dir: string, tables: readonly FixtureTable[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const t of tables) {
    const lines = [t.columns.map(([c]) => c).join(','), ...t.rows.map((r) => r.map(csvCell).join(','))];
    await writeFile(join(dir, `${t.name}.csv`), `${lines.join('\n')}\n`);
  }
}

const SQLITE_TYPE: Record<FixtureType, string> = {
  int: 'INTEGER',
  float: 'REAL',
  text: 'TEXT',
  bool: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};
const POSTGRES_TYPE: Record<FixtureType, string> = {
  int: 'bigint',
  float: 'double precision',
  text: 'text',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};

export function writeSqliteFixture(file: string, tables: readonly FixtureTable[]): void {
  const db = new Database(file);
  try {
    for (const t of tables) {
      db.exec(`CREATE TABLE "${t.name}" (${t.columns.map(([c, ty]) => `"${c}" ${SQLITE_TYPE[ty]}`).join(', ')})`);
      const insert = db.prepare(`INSERT INTO "${t.name}" VALUES (${t.columns.map(() => '?').join(', ')})`);
      db.transaction(() => {
        for (const r of t.rows) insert.run(...r.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
      })();
    }
  } finally {
    db.close();
  }
}

/** Columns given a linguistic collation in Postgres, as on a database created with an English locale. */
const POSTGRES_COLLATION: Record<string, string> = { 'events.kind': 'en-x-icu' };

export async function writePostgresFixture(pg: Engine, schema: string, tables: readonly FixtureTable[]): Promise<void> {
  const q = pg.dialect.quoteIdent;
  await pg.exec(`CREATE SCHEMA ${q(schema)}`);
  for (const t of tables) {
    const collate = (c: string) =>
      POSTGRES_COLLATION[`${t.name}.${c}`] ? ` COLLATE ${q(POSTGRES_COLLATION[`${t.name}.${c}`]!)}` : '';
    await pg.exec(
      `CREATE TABLE ${q(schema)}.${q(t.name)} (${t.columns.map(([c, ty]) => `${q(c)} ${POSTGRES_TYPE[ty]}${collate(c)}`).join(', ')})`,
    );
    const width = t.columns.length;
    const values = t.rows.map(
      (_, r) => `(${t.columns.map(([, ty], c) => `CAST($${r * width + c + 1} AS ${POSTGRES_TYPE[ty]})`).join(', ')})`,
    );
    await pg.query(`INSERT INTO ${q(schema)}.${q(t.name)} VALUES ${values.join(', ')}`, t.rows.flat() as SqlValue[]);
  }
}

/**
 * Connect a source and review it as a person would with `fathom tag`: the target, keys, time
 * indexes, relationships and the semantic types the tests rely on (`p` prefixes table names,
 * e.g. a Postgres schema).
 */
export async function reviewedWorkspace(
  dir: string,
  location: string,
  extra: readonly string[] = [],
  p = '',
): Promise<void> {
  const run = (args: readonly string[]) => runFathomOk(args, { cwd: dir });
  await mkdir(dir, { recursive: true });
  await run(['init', '-q']);
  await run(['connect', 'src', location, ...extra]);
  await run(['explore', '-q']);
  const tags: string[][] = [
    [`${p}accounts.churned`, '--target', '--kind', 'binary'],
    [`${p}plans.plan_id`, '--primary-key'],
    [`${p}accounts.id`, '--primary-key'],
    [`${p}events.event_id`, '--primary-key'],
    [`${p}items.item_id`, '--primary-key'],
    [`${p}accounts.plan_id`, '--references', `${p}plans.plan_id`],
    [`${p}events.account_id`, '--references', `${p}accounts.id`],
    [`${p}items.event_id`, '--references', `${p}events.event_id`],
    [`${p}products.product_id`, '--primary-key'],
    [`${p}events.product_id`, '--references', `${p}products.product_id`],
    [`${p}products.category`, '--type', 'categorical'],
    [`${p}transfers.transfer_id`, '--primary-key'],
    [`${p}transfers.from_account`, '--references', `${p}accounts.id`],
    [`${p}transfers.to_account`, '--references', `${p}accounts.id`],
    [`${p}transfers.sent_at`, '--time-index'],
    [`${p}transfers.value`, '--type', 'numeric'],
    [`${p}notes.note_id`, '--primary-key'],
    [`${p}notes.account_id`, '--references', `${p}accounts.id`],
    [`${p}notes.label`, '--type', 'categorical'],
    [`${p}products.weight`, '--type', 'numeric'],
    [`${p}events.at`, '--time-index'],
    // A per-row cutoff column in the tests, not a time index: it stays a raw feature too.
    [`${p}accounts.observed_at`, '--not-time-index'],
    [`${p}plans.plan_name`, '--type', 'categorical', '--pii', 'none'],
    [`${p}accounts.city`, '--type', 'categorical', '--pii', 'none'],
    [`${p}accounts.bio`, '--type', 'text', '--pii', 'none'],
    [`${p}events.kind`, '--type', 'categorical'],
    [`${p}accounts.balance`, '--type', 'numeric'],
    [`${p}accounts.num_a`, '--type', 'numeric'],
    [`${p}accounts.num_b`, '--type', 'numeric'],
    [`${p}events.amount`, '--type', 'numeric'],
    [`${p}items.price`, '--type', 'numeric'],
    [`${p}plans.fee`, '--type', 'numeric'],
    [`${p}accounts.seen_at`, '--type', 'datetime'],
    [`${p}accounts.observed_at`, '--type', 'datetime'],
    [`${p}accounts.joined_on`, '--type', 'datetime'],
  ];
  for (const t of tags) await run(['tag', ...t, '-q']);
}

/** `fathom features --json` with every synthesized feature kept. */
export async function buildFeatures(dir: string, args: readonly string[]): Promise<FeatureSetRecord> {
  return (
    await runFathomOk(['features', '--json', '--max-features', '1000', ...args], { cwd: dir })
  ).json() as FeatureSetRecord;
}

/** The matrix Parquet of a feature set, read back from the workspace's object store, in key order. */
export async function readMatrix(dir: string, record: FeatureSetRecord): Promise<Row[]> {
  const duck = await openEngine({ kind: 'duckdb' });
  try {
    const file = join(dir, '.fathom', 'objects', record.matrix.object);
    return (
      await duck.query(
        `SELECT * FROM read_parquet(${duck.dialect.quoteString(file)}) ORDER BY ${duck.dialect.quoteIdent(record.key[0]!)}`,
      )
    ).rows;
  } finally {
    await duck.close();
  }
}

/**
 * Every feature of a feature set computed the way a deployed model would, through its scoring
 * plan, for the entities `1..n` with the given cutoffs: rows shaped like readMatrix's.
 */
export async function scoreAsEntities(
  dir: string,
  record: FeatureSetRecord,
  cutoffs: readonly string[],
): Promise<Row[]> {
  const ws = await openWorkspace(dir);
  try {
    const { record: source, table } = await sourceTable(ws, record.target.source, record.target.table);
    const plan = scoringPlanFor(
      record,
      record.features.map((f) => f.name),
      source.kind,
      table.columns,
    );
    const scored = await scoreEntities(
      ws,
      plan,
      cutoffs.map((cutoff, i) => ({ key: [i + 1], cutoff })),
    );
    return Array.from({ length: scored.rows }, (_, r) =>
      Object.fromEntries(
        scored.columns.map((c) => [
          c.name,
          c.kind === 'number' ? (Number.isNaN(c.data[r]!) ? null : c.data[r]!) : (c.data[r] ?? null),
        ]),
      ),
    );
  } finally {
    await ws.close();
  }
}

/** Equal to 1e-9 relative for numbers (NULL only equals NULL), exactly for everything else. */
export function sameValue(a: SqlValue | undefined, b: SqlValue | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  return a === b;
}

// JSON.stringify would print NaN as null, hiding the very difference being reported.
const show = (v: SqlValue | undefined): string => (typeof v === 'number' ? String(v) : JSON.stringify(v ?? null));

/** Every column of `expected` (keyed by feature name) equals the matrix's, row by row. */
export function assertSameMatrix(
  actual: readonly Row[],
  expected: readonly Row[],
  columns: readonly string[],
  label: string,
): void {
  assert.equal(actual.length, expected.length, `${label}: row count`);
  const bad: string[] = [];
  for (const c of columns) {
    const rows = actual.map((r, i) => [i, r[c], expected[i]![c]] as const).filter(([, a, e]) => !sameValue(a, e));
    if (rows.length > 0)
      bad.push(
        `${c}: ${rows
          .slice(0, 3)
          .map(([i, a, e]) => `row ${i + 1} got ${show(a)} want ${show(e)}`)
          .join('; ')}`,
      );
  }
  assert.deepEqual(bad, [], `${label}: ${bad.length} columns differ`);
}
