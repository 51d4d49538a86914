import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { openDuckDbEngine } from '../../engine/duckdb/duckdb-engine.js';
import { FathomError } from '../../util/fathom-error.js';
import { detectSource, redactUrl, splitPostgresUrl } from './detect-source.js';
import { fixtureDir } from './files-kit.fixture.js';

describe('detectSource', () => {
  it('takes the password out of a Postgres URL', async () => {
    assert.deepEqual(await detectSource('postgres://app:s%40cret@db.example:5432/shop?sslmode=require'), {
      kind: 'postgres',
      location: 'postgres://app@db.example:5432/shop?sslmode=require',
      password: 's@cret',
    });
    assert.deepEqual(splitPostgresUrl('postgresql://app@db/shop?password=pw&application_name=x'), {
      kind: 'postgres',
      location: 'postgresql://app@db/shop?application_name=x',
      password: 'pw',
    });
    assert.deepEqual(await detectSource('postgres://app@db/shop'), {
      kind: 'postgres',
      location: 'postgres://app@db/shop',
    });
  });

  it('never prints a password when a URL is refused', async () => {
    await assert.rejects(detectSource('mysql://u:topsecret@h/db'), (err: unknown) => {
      assert.ok(err instanceof FathomError);
      assert.doesNotMatch(err.message, /topsecret/);
      return true;
    });
    assert.equal(redactUrl('postgres://u:pw@h/db?password=x'), 'postgres://u:***@h/db?password=***');
  });

  it('recognises SQLite and DuckDB files by their header, whatever the extension', async () => {
    const dir = await fixtureDir({ 'fake.sqlite': 'SQLite format 2 (not really)', 'plain.db': 'hello' });
    for (const [name, kind] of [
      ['a.sqlite', 'sqlite'],
      ['b.db', 'sqlite'],
      ['c.sqlite3', 'sqlite'],
    ] as const) {
      const engine = await openSqliteEngine({ path: join(dir, name) });
      await engine.exec('CREATE TABLE t (x INTEGER)');
      await engine.close();
      assert.equal((await detectSource(join(dir, name))).kind, kind, name);
    }
    for (const name of ['w.duckdb', 'w2.db']) {
      const engine = await openDuckDbEngine({ path: join(dir, name) });
      await engine.exec('CREATE TABLE t (x INTEGER)');
      await engine.close();
      assert.equal((await detectSource(join(dir, name))).kind, 'duckdb', name);
    }
    await assert.rejects(detectSource(join(dir, 'fake.sqlite')), /not a SQLite database/);
    await assert.rejects(detectSource(join(dir, 'plain.db')), /not a SQLite database/);
  });

  it('recognises data files, folders and globs, keeping the location as given', async () => {
    const dir = await fixtureDir({
      'a.csv': 'x\n1\n',
      'b.parquet': 'PAR1',
      'c.jsonl.gz': '',
      'd.txt': 'x\n',
      'e.xlsx': '',
    });
    for (const name of ['a.csv', 'b.parquet', 'c.jsonl.gz', 'd.txt']) {
      assert.deepEqual(await detectSource(join(dir, name)), { kind: 'files', location: join(dir, name) });
    }
    assert.deepEqual(await detectSource('a.csv', { cwd: dir }), { kind: 'files', location: 'a.csv' });
    assert.equal((await detectSource(dir)).kind, 'files');
    assert.equal((await detectSource(join(dir, '*.csv'))).kind, 'files');
    await assert.rejects(detectSource(join(dir, 'e.xlsx')), /Cannot tell what kind of source/);
  });

  it('names a missing path', async () => {
    await assert.rejects(detectSource('/no/such/orders.csv'), (err: unknown) => {
      assert.ok(err instanceof FathomError && err.kind === 'bad_input');
      assert.match(err.message, /\/no\/such\/orders\.csv does not exist/);
      return true;
    });
  });
});
