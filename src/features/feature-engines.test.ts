import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Row } from '../engine/engine.js';
import { openPostgresEngine } from '../engine/postgres/postgres-engine.js';
import { postgresTestUrl, POSTGRES_SKIP_REASON } from '../testing/postgres-url.js';
import { withTempDir } from '../testing/temp-dir.js';
import { CUTOFF, WINDOW_DAYS, fixtureTables } from './feature-fixture.js';
import { expectedMatrix, type ExpectedOptions } from './feature-expected.js';
import { assertSameMatrix, buildFeatures, readMatrix, reviewedWorkspace, writeCsvFixture, writePostgresFixture, writeSqliteFixture } from './feature-test-kit.js';

const url = postgresTestUrl();

/** The runs every engine is checked on: a fixed cutoff, a window, a per-row cutoff column. */
const RUNS: ReadonlyArray<{ readonly args: readonly string[]; readonly options: ExpectedOptions }> = [
  { args: ['--cutoff-time', '2024-06-01'], options: { cutoff: { kind: 'fixed', at: CUTOFF }, windowDays: null } },
  { args: ['--cutoff-time', '2024-06-01', '--window', String(WINDOW_DAYS)], options: { cutoff: { kind: 'fixed', at: CUTOFF }, windowDays: WINDOW_DAYS } },
  { args: ['--cutoff-column', 'observed_at'], options: { cutoff: { kind: 'column', column: 'observed_at' }, windowDays: null } },
];

/**
 * Build the same feature sets from the same rows held in a database (`location`) and as CSV
 * files (DuckDB), and check that the database's matrices, written through the non-DuckDB
 * Parquet path, equal DuckDB's and the independent expectations. `prefix` is how the database
 * names its tables (a Postgres schema), left out of feature names before comparing.
 */
async function sameAsDuckDb(dir: string, location: string, extra: readonly string[], prefix: string): Promise<void> {
  const data = join(dir, 'data');
  await writeCsvFixture(data, fixtureTables());
  const duckDir = join(dir, 'duck');
  const dbDir = join(dir, 'db');
  await reviewedWorkspace(duckDir, data);
  await reviewedWorkspace(dbDir, location, extra, prefix);
  const bare = (name: string) => name.replaceAll(prefix, '');
  for (const run of RUNS) {
    const label = run.args.join(' ');
    const duck = await buildFeatures(duckDir, run.args);
    const db = await buildFeatures(dbDir, run.args);
    assert.deepEqual(db.features.map((f) => bare(f.name)), duck.features.map((f) => f.name), `${label}: the same features in the same order`);
    assert.deepEqual(db.features.map((f) => f.kind), duck.features.map((f) => f.kind), label);
    const duckRows = await readMatrix(duckDir, duck);
    const dbRows: Row[] = (await readMatrix(dbDir, db)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [bare(k), v])));
    const names = duck.features.map((f) => f.name);
    assert.deepEqual(Object.keys(dbRows[0]!), Object.keys(duckRows[0]!), `${label}: matrix columns`);
    assertSameMatrix(dbRows, duckRows, [duck.key[0]!, ...names], `${label}: database vs DuckDB`);
    const expected = await expectedMatrix(data, run.options);
    assertSameMatrix(dbRows, expected.rows, expected.names, `${label}: database vs expected`);
  }
}

test('a SQLite source gives the same matrices as DuckDB over the same rows (every primitive, cutoff, window, cutoff column)', async () => {
  await withTempDir('feat-sqlite', async (dir) => {
    writeSqliteFixture(join(dir, 'fixture.db'), fixtureTables());
    await sameAsDuckDb(dir, join(dir, 'fixture.db'), [], '');
  });
});

test('a Postgres source gives the same matrices as DuckDB over the same rows (every primitive, cutoff, window, cutoff column)', { ...(url === undefined ? { skip: POSTGRES_SKIP_REASON } : {}) }, async () => {
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
});
