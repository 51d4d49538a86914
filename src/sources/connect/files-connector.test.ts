import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openDuckDbEngine } from '../../engine/duckdb/duckdb-engine.js';
import { registerFileViews } from '../files/file-views.js';
import { FathomError } from '../../util/fathom-error.js';
import { columnNames, columnTypes, discover, discoverOne, fixtureDir, readRows } from './files-kit.fixture.js';

describe('files source', () => {
  it('reads parquet with its own schema', async () => {
    const dir = await fixtureDir({});
    const engine = await openDuckDbEngine();
    const path = join(dir, 'sales.parquet');
    await engine.exec(
      `COPY (SELECT range AS id, range * 1.5 AS amount, 'x' || range AS "the label" FROM range(1000)) TO '${path}' (FORMAT parquet)`,
    );
    await engine.close();
    const [t] = await discover(dir);
    assert.ok(t);
    assert.equal(t.name, 'sales');
    assert.equal(t.rows, 1000);
    assert.equal(t.details?.format, 'parquet');
    assert.deepEqual(columnTypes(t), { id: 'BIGINT', amount: 'DECIMAL(21,1)', 'the label': 'VARCHAR' });
    assert.deepEqual(await readRows(t, 'max(id) AS m'), [{ m: 999 }]);
  });

  it('reads newline-delimited JSON (.ndjson, .jsonl, gzipped) and JSON arrays', async () => {
    const lines = '{"id":1,"tags":["a"],"who":{"name":"Ann"}}\n{"id":2,"tags":[],"who":{"name":"Bob"}}\n';
    const dir = await fixtureDir({
      'events.ndjson': lines,
      'more.jsonl': lines,
      'zipped.ndjson.gz': gzipSync(lines),
      'array.json': '[{"k": "a", "v": 1.5}, {"k": "b", "v": null}]',
    });
    const tables = await discover(dir);
    assert.deepEqual(
      tables.map((t) => [t.name, t.rows]),
      [
        ['array', 2],
        ['events', 2],
        ['more', 2],
        ['zipped', 2],
      ],
    );
    const events = tables.find((t) => t.name === 'events');
    assert.ok(events);
    assert.deepEqual(columnNames(events), ['id', 'tags', 'who']);
    assert.equal(events.columns.find((c) => c.name === 'who')?.logicalType, 'json');
    assert.deepEqual(await readRows(events, 'who.name AS n', 'ORDER BY id'), [{ n: 'Ann' }, { n: 'Bob' }]);
  });

  it('survives a JSON field whose type changes after the inference sample', async () => {
    const rows = Array.from({ length: 25000 }, (_, i) => JSON.stringify({ id: i, v: i }));
    rows.push(JSON.stringify({ id: 25000, v: 'text now' }));
    const t = await discoverOne('late.ndjson', rows.join('\n') + '\n');
    assert.equal(t.rows, 25001);
    assert.notEqual(columnTypes(t).v, 'BIGINT');
  });

  it('names the file when JSON is malformed', async () => {
    await assert.rejects(discoverOne('broken.ndjson', '{"a":1}\n{"a":2\n{"a":3}\n'), (err: unknown) => {
      assert.ok(err instanceof FathomError && err.kind === 'bad_input');
      assert.match(err.message, /broken\.ndjson: cannot be read as JSON/);
      return true;
    });
  });

  it('takes every data file of a folder (recursively) or a glob, ignoring other files', async () => {
    const dir = await fixtureDir({
      'orders.csv': 'id\n1\n',
      'sub/customers.tsv': 'id\tname\n1\tA\n',
      'notes.md': '# not data',
      '.hidden/secret.csv': 'x\n1\n',
    });
    assert.deepEqual(
      (await discover(dir)).map((t) => t.name),
      ['orders', 'customers'],
    );
    assert.deepEqual(
      (await discover(join(dir, '**/*.tsv'))).map((t) => t.name),
      ['customers'],
    );
    assert.deepEqual(
      (await discover(join(dir, '*.{csv,tsv}'))).map((t) => t.name),
      ['orders'],
    );
  });

  it('refuses two files that would make the same table, naming both', async () => {
    const dir = await fixtureDir({ '2023/orders.csv': 'id\n1\n', '2024/orders.csv.gz': gzipSync('id\n2\n') });
    await assert.rejects(discover(dir), (err: unknown) => {
      assert.ok(err instanceof FathomError && err.kind === 'bad_input');
      assert.ok(err.message.includes(join(dir, '2023/orders.csv')), err.message);
      assert.ok(err.message.includes(join(dir, '2024/orders.csv.gz')), err.message);
      assert.match(err.message, /table "orders"/);
      return true;
    });
    const mixedCase = await fixtureDir({ 'Orders.csv': 'id\n1\n', 'orders.json': '[{"id":1}]' });
    await assert.rejects(discover(mixedCase), /"orders"/);
  });

  it('names a missing path, an empty glob and a folder without data', async () => {
    const dir = await fixtureDir({ 'readme.md': 'x' });
    await assert.rejects(discover(join(dir, 'nope')), /nope does not exist/);
    await assert.rejects(discover(join(dir, '*.csv')), /No files match .*\*\.csv/);
    await assert.rejects(discover(dir), /holds no data files/);
  });

  it('rejects unknown or mistyped options, naming them', async () => {
    const dir = await fixtureDir({ 'a.csv': 'x\n1\n' });
    await assert.rejects(discover(dir, { delimeter: ';' }), /invalid options.*delimeter/);
    await assert.rejects(discover(dir, { header: 'yes' }), /invalid options: header/);
  });

  it('registers views another engine can query', async () => {
    const dir = await fixtureDir({ 'a.csv': 'x,y\n1,2\n3,4\n', 'b.ndjson': '{"z":5}\n' });
    const tables = await discover(dir);
    const engine = await openDuckDbEngine();
    try {
      await registerFileViews(engine, tables);
      const { rows } = await engine.query('SELECT sum(x) AS sx, (SELECT max(z) FROM b) AS mz FROM a');
      assert.deepEqual(rows, [{ sx: 4, mz: 5 }]);
      assert.deepEqual((await engine.listTables()).map((t) => t.name).sort(), ['a', 'b']);
    } finally {
      await engine.close();
    }
  });
});
