import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Row } from '../engine/engine.js';
import { openPostgresEngine } from '../engine/postgres/postgres-engine.js';
import { postgresTestUrl, POSTGRES_SKIP_REASON } from '../testing/postgres-url.js';
import { withTempDir } from '../testing/temp-dir.js';
import type { FeatureSetRecord } from './feature-set-record.js';
import { CUTOFF, WINDOW_DAYS, fixtureTables } from './feature.fixture.js';
import { expectedMatrix, type ExpectedOptions } from './feature-expected.fixture.js';
import {
  assertSameMatrix,
  buildFeatures,
  readMatrix,
  reviewedWorkspace,
  scoreAsEntities,
  writeCsvFixture,
  writePostgresFixture,
  writeSqliteFixture,
} from './feature-kit.fixture.js';

const url = postgresTestUrl();

/** The runs every engine is checked on: a fixed cutoff, a window, a per-row cutoff column. */
const RUNS: ReadonlyArray<{ readonly args: readonly string[]; readonly options: ExpectedOptions }> = [
  { args: ['--cutoff-time', '2024-06-01'], options: { cutoff: { kind: 'fixed', at: CUTOFF }, windowDays: null } },
  {
    args: ['--cutoff-time', '2024-06-01', '--window', String(WINDOW_DAYS)],
    options: { cutoff: { kind: 'fixed', at: CUTOFF }, windowDays: WINDOW_DAYS },
  },
  {
    args: ['--cutoff-column', 'observed_at'],
    options: { cutoff: { kind: 'column', column: 'observed_at' }, windowDays: null },
  },
];

interface Baseline {
  readonly names: string[];
  readonly kinds: string[];
  readonly key: string;
  readonly rows: Row[];
  readonly expected: { names: string[]; rows: Row[] };
}

/** Each account's cutoff in a run, as ISO instants (what a caller of the scoring plan passes). */
function cutoffsOf(options: ExpectedOptions): string[] {
  const accounts = fixtureTables().find((t) => t.name === 'accounts')!;
  const at = (text: string) => new Date(`${text.replace(' ', 'T')}Z`).toISOString();
  if (options.cutoff.kind === 'fixed') return accounts.rows.map(() => at(CUTOFF));
  const i = accounts.columns.findIndex(([c]) => c === (options.cutoff as { column: string }).column);
  return accounts.rows.map((r) => at(r[i] as string));
}

/** Scoring the same entities through the model's scoring plan gives the training matrix's features. */
async function assertScoringMatches(
  dir: string,
  record: FeatureSetRecord,
  matrix: readonly Row[],
  options: ExpectedOptions,
  label: string,
): Promise<void> {
  // SQLite has no boolean type: a computed boolean (IS_WEEKEND) comes back as 0/1 here, while the
  // Parquet matrix holds true/false. The learner reads both as 0/1 (feature-plan.ts toNumbers).
  // Likewise a raw date feature is a date ('2022-03-09') from the query and a TIMESTAMP (its
  // midnight) in the matrix; the learner reads both as the same epoch milliseconds.
  const booleans = record.features.filter((f) => f.kind === 'boolean').map((f) => f.name);
  const datetimes = record.features.filter((f) => f.kind === 'datetime').map((f) => f.name);
  const scored = (await scoreAsEntities(dir, record, cutoffsOf(options))).map((r) => {
    for (const b of booleans) if (typeof r[b] === 'number') r[b] = r[b] === 1;
    for (const t of datetimes)
      if (typeof r[t] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r[t] as string)) r[t] = `${r[t]}T00:00:00.000Z`;
    return r;
  });
  assertSameMatrix(
    scored,
    matrix,
    [record.key[0]!, ...record.features.map((f) => f.name)],
    `${label}: scoring plan vs matrix`,
  );
}

let baselines: Promise<Baseline[]> | undefined;

/** DuckDB's matrices over the fixture's CSV files, and the independent expectations, for each run (computed once for both engines). */
function duckDbBaselines(): Promise<Baseline[]> {
  baselines ??= withTempDir('feat-duck', async (dir) => {
    const data = join(dir, 'data');
    await writeCsvFixture(data, fixtureTables());
    await reviewedWorkspace(dir, data);
    const out: Baseline[] = [];
    for (const run of RUNS) {
      const duck = await buildFeatures(dir, run.args);
      const rows = await readMatrix(dir, duck);
      await assertScoringMatches(dir, duck, rows, run.options, `DuckDB ${run.args.join(' ')}`);
      out.push({
        names: duck.features.map((f) => f.name),
        kinds: duck.features.map((f) => f.kind),
        key: duck.key[0]!,
        rows,
        expected: await expectedMatrix(data, run.options),
      });
    }
    return out;
  });
  return baselines;
}

/**
 * Build the same feature sets from the same rows held in a database (`location`) and check that
 * its matrices, written through the non-DuckDB Parquet path, equal DuckDB's over the CSV files
 * and the independent expectations. `prefix` is how the database names its tables (a Postgres
 * schema), left out of feature names before comparing.
 */
async function sameAsDuckDb(dir: string, location: string, extra: readonly string[], prefix: string): Promise<void> {
  const base = await duckDbBaselines();
  await reviewedWorkspace(dir, location, extra, prefix);
  const bare = (name: string) => name.replaceAll(prefix, '');
  for (const [i, run] of RUNS.entries()) {
    const label = run.args.join(' ');
    const duck = base[i]!;
    const db = await buildFeatures(dir, run.args);
    assert.deepEqual(
      db.features.map((f) => bare(f.name)),
      duck.names,
      `${label}: the same features in the same order`,
    );
    assert.deepEqual(
      db.features.map((f) => f.kind),
      duck.kinds,
      label,
    );
    const raw = await readMatrix(dir, db);
    await assertScoringMatches(dir, db, raw, run.options, label);
    const rows: Row[] = raw.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [bare(k), v])));
    assert.deepEqual(Object.keys(rows[0]!), Object.keys(duck.rows[0]!), `${label}: matrix columns`);
    assertSameMatrix(rows, duck.rows, [duck.key, ...duck.names], `${label}: database vs DuckDB`);
    assertSameMatrix(rows, duck.expected.rows, duck.expected.names, `${label}: database vs expected`);
  }
}

test('a SQLite source gives the same matrices as DuckDB over the same rows (every primitive, cutoff, window, cutoff column)', async () => {
  await withTempDir('feat-sqlite', async (dir) => {
    writeSqliteFixture(join(dir, 'fixture.db'), fixtureTables());
    await sameAsDuckDb(join(dir, 'ws'), join(dir, 'fixture.db'), [], '');
  });
});

test(
  'a Postgres source gives the same matrices as DuckDB over the same rows (every primitive, cutoff, window, cutoff column)',
  { ...(url === undefined ? { skip: POSTGRES_SKIP_REASON } : {}) },
  async () => {
    const schema = `fathom_feat_${randomBytes(4).toString('hex')}`;
    const pg = await openPostgresEngine({ url: url! });
    try {
      await writePostgresFixture(pg, schema, fixtureTables());
      await withTempDir('feat-pg', async (dir) => {
        await sameAsDuckDb(dir, url!, ['--schema', schema], `${schema}.`);
      });
    } finally {
      await pg.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pg.close();
    }
  },
);
