/**
 * The one conformance suite every Engine runs: `engineConformance('duckdb', () => open…())`
 * registers node:test tests. Each test gets a fresh engine from the factory and closes it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FathomError } from '../util/fathom-error.js';
import type { Engine, EngineFactory } from './engine.js';
import {
  FIXTURE_COLUMNS,
  FIXTURE_LOGICAL,
  FIXTURE_PARAMS,
  FIXTURE_ROWS,
  FIXTURE_TYPES,
} from './engine-conformance.fixture.js';
import { HOSTILE_COLUMNS, HOSTILE_TABLE } from './engine-conformance.fixture.js';
import { featureSqlConformance } from './engine-conformance-feature-sql.js';
import { fragmentConformance } from './engine-conformance-fragments.js';
import { streamConformance } from './engine-conformance-stream.js';

export interface ConformanceOptions {
  /** Skip every test with this reason (e.g. no Postgres server configured). */
  readonly skip?: string;
}

export function engineConformance(name: string, factory: EngineFactory, options: ConformanceOptions = {}): void {
  describe(`engine conformance: ${name}`, { skip: options.skip ?? false }, () => {
    const withEngine = async (work: (engine: Engine) => Promise<void>): Promise<void> => {
      const engine = await factory();
      try {
        await work(engine);
      } finally {
        await engine.close();
      }
    };

    it('quotes hostile identifiers through create, insert, select and describe', () =>
      withEngine(async (engine) => {
        const d = engine.dialect;
        const text = FIXTURE_TYPES[d.name].cat1;
        const table = d.quoteTable({ name: HOSTILE_TABLE });
        const cols = HOSTILE_COLUMNS.map((c) => d.quoteIdent(c));
        await engine.exec(`CREATE TABLE ${table} (${cols.map((c) => `${c} ${text}`).join(', ')})`);
        const placeholders = HOSTILE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
        const insert = `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${placeholders})`;
        await engine.query(
          insert,
          HOSTILE_COLUMNS.map((c) => `${c}:2`),
        );
        await engine.query(
          insert,
          HOSTILE_COLUMNS.map((c) => `${c}:1`),
        );
        const result = await engine.query(`SELECT * FROM ${table} ORDER BY ${d.quoteIdent('order')}`);
        assert.deepEqual(
          result.columns.map((c) => c.name),
          [...HOSTILE_COLUMNS],
        );
        assert.deepEqual(Object.keys(result.rows[0] ?? {}), [...HOSTILE_COLUMNS]);
        assert.equal(result.rows[0]?.['with "quotes"'], 'with "quotes":1');
        assert.equal(
          Object.getPrototypeOf(result.rows[0]),
          Object.prototype,
          '__proto__ column must not set the prototype',
        );
        assert.equal(result.rows[1]?.['__proto__'], '__proto__:2');
        const columns = await engine.describe({ name: HOSTILE_TABLE });
        assert.deepEqual(
          columns.map((c) => c.name),
          [...HOSTILE_COLUMNS],
        );
        assert.ok(
          columns.every((c) => c.logicalType === 'string'),
          JSON.stringify(columns),
        );
      }));

    // Every test uses its own table names: a Postgres run shares one schema across tests.
    const createFixture = async (engine: Engine, name: string): Promise<void> => {
      const d = engine.dialect;
      const types = FIXTURE_TYPES[d.name];
      const defs = FIXTURE_COLUMNS.map((c) => `${d.quoteIdent(c)} ${types[c]}${c === 'id' ? ' NOT NULL' : ''}`);
      await engine.exec(`CREATE TABLE ${d.quoteIdent(name)} (${defs.join(', ')})`);
      const placeholders = FIXTURE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
      for (const params of FIXTURE_PARAMS) {
        await engine.query(`INSERT INTO ${d.quoteIdent(name)} VALUES (${placeholders})`, params);
      }
    };

    it('normalises every fixture type to the same JS values as every other engine', () =>
      withEngine(async (engine) => {
        await createFixture(engine, 'fixture_values');
        const result = await engine.query('SELECT * FROM fixture_values ORDER BY id');
        assert.deepEqual(result.rows, FIXTURE_ROWS);
        assert.deepEqual(
          result.columns.map((c) => c.name),
          [...FIXTURE_COLUMNS],
        );
      }));

    it('normalises aggregate results the same way, big integers as strings', () =>
      withEngine(async (engine) => {
        await createFixture(engine, 'fixture_aggs');
        const { rows } = await engine.query(`SELECT COUNT(*) AS n, COUNT(int1) AS n_int, SUM(int1) AS total,
          MAX(date1) AS last_date, MIN(ts1) AS first_ts, AVG(num1) AS mean,
          SUM(CASE WHEN bool1 THEN 1 ELSE 0 END) AS n_true FROM fixture_aggs`);
        assert.deepEqual(rows, [
          {
            n: 3,
            n_int: 2,
            total: '9007199254741035',
            last_date: '2024-01-02',
            first_ts: '1969-12-31T23:59:59.999Z',
            mean: 0.625,
            n_true: 1,
          },
        ]);
      }));

    it('binds parameters of every kind in filters, and handles NULL', () =>
      withEngine(async (engine) => {
        await createFixture(engine, 'fixture_params');
        const ids = async (where: string, params: unknown[]): Promise<unknown[]> =>
          (await engine.query(`SELECT id FROM fixture_params WHERE ${where} ORDER BY id`, params as never)).rows.map(
            (r) => r['id'],
          );
        assert.deepEqual(await ids('int1 = $1', [9007199254740993n]), [2]);
        assert.deepEqual(await ids('cat1 = $1', ['naïve ✓']), [2]);
        assert.deepEqual(await ids('ts1 < $1', [new Date('2000-01-01T00:00:00Z')]), [2]);
        assert.deepEqual(await ids('num1 > $1 AND num1 < $2', [-1, 2.5]), [1, 2]);
        assert.deepEqual(await ids('num1 IS NULL AND cat1 IS NULL', []), [3]);
        const { rows } = await engine.query('SELECT COALESCE(cat1, $1) AS c FROM fixture_params ORDER BY id', ['none']);
        assert.deepEqual(
          rows.map((r) => r['c']),
          ['a', 'naïve ✓', 'none'],
        );
      }));

    it('describes fixture columns with their logical types and nullability', () =>
      withEngine(async (engine) => {
        await createFixture(engine, 'fixture_types');
        const columns = await engine.describe({ name: 'fixture_types' });
        assert.deepEqual(
          columns.map((c) => [c.name, c.logicalType]),
          FIXTURE_COLUMNS.map((c) => [c, FIXTURE_LOGICAL[c]]),
        );
        assert.deepEqual(
          columns.map((c) => c.nullable),
          FIXTURE_COLUMNS.map((c) => c !== 'id'),
        );
        assert.ok(columns.every((c) => c.physicalType.length > 0));
      }));

    it('lists user tables and views, not system ones', () =>
      withEngine(async (engine) => {
        await engine.exec('CREATE TABLE listed_t (x INTEGER); CREATE VIEW listed_v AS SELECT x FROM listed_t');
        const tables = await engine.listTables();
        const names = tables.map((t) => t.name);
        assert.ok(names.includes('listed_t') && names.includes('listed_v'), names.join());
        assert.ok(
          !tables.some((t) => /^(information_schema|pg_catalog)$/.test(t.schema ?? '') || t.name.startsWith('sqlite_')),
        );
        const schema = tables.find((t) => t.name === 'listed_t')?.schema;
        assert.deepEqual(await engine.describe({ schema, name: 'listed_t' }).then((c) => c.map((x) => x.name)), ['x']);
      }));

    it('fails to describe a missing table with a not_found error naming it', () =>
      withEngine(async (engine) => {
        await assert.rejects(engine.describe({ name: 'no_such_table' }), (e: unknown) => {
          assert.ok(e instanceof FathomError);
          assert.equal(e.kind, 'not_found');
          assert.match(e.message, /no_such_table/);
          return true;
        });
      }));

    it('fails on a syntax error with the SQL text in context and the driver error as cause', () =>
      withEngine(async (engine) => {
        const sql = 'SELEC 1 FROM nowhere';
        await assert.rejects(engine.query(sql), (e: unknown) => {
          assert.ok(e instanceof FathomError);
          assert.equal(e.kind, 'failed');
          assert.equal(e.context?.['sql'], sql);
          assert.ok(e.cause instanceof Error);
          assert.match(e.message, /query failed/);
          return true;
        });
        await assert.rejects(engine.exec(sql), (e: unknown) => e instanceof FathomError && e.context?.['sql'] === sql);
      }));

    it('runs multi-statement scripts with exec', () =>
      withEngine(async (engine) => {
        await engine.exec(
          'CREATE TABLE script_t (x INTEGER); INSERT INTO script_t VALUES (1); INSERT INTO script_t VALUES (2);',
        );
        assert.deepEqual((await engine.query('SELECT SUM(x) AS s FROM script_t')).rows, [{ s: 3 }]);
      }));

    it('returns no columns or rows for statements without a result, and rows for RETURNING', () =>
      withEngine(async (engine) => {
        assert.deepEqual(await engine.query('CREATE TABLE returning_t (x INTEGER)'), { columns: [], rows: [] });
        assert.deepEqual(await engine.query('INSERT INTO returning_t VALUES ($1)', [1]), { columns: [], rows: [] });
        assert.deepEqual(await engine.query('UPDATE returning_t SET x = x + 1'), { columns: [], rows: [] });
        const returned = await engine.query('INSERT INTO returning_t VALUES ($1) RETURNING x', [5]);
        assert.deepEqual(returned.rows, [{ x: 5 }]);
        assert.deepEqual(
          returned.columns.map((c) => c.name),
          ['x'],
        );
      }));

    it('quotes string literals and rejects names no engine can hold', () =>
      withEngine(async (engine) => {
        const tricky = `it's a "test" \\ ok ✓`;
        assert.deepEqual((await engine.query(`SELECT ${engine.dialect.quoteString(tricky)} AS s`)).rows, [
          { s: tricky },
        ]);
        assert.throws(
          () => engine.dialect.quoteIdent('a\u0000b'),
          (e: unknown) => e instanceof FathomError && /NUL/.test(e.message),
        );
        assert.throws(() => engine.dialect.quoteIdent(''), FathomError);
      }));

    it('rejects queries after close', async () => {
      const engine = await factory();
      await engine.close();
      await assert.rejects(engine.query('SELECT 1 AS x'), FathomError);
    });

    streamConformance(withEngine);
    fragmentConformance(withEngine);
    featureSqlConformance(withEngine);
  });
}
