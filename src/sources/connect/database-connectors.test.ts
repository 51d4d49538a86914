import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { openDuckDbEngine } from '../../engine/duckdb/duckdb-engine.js';
import { connectSource } from './connect-source.js';
import type { SourceConfig, SourceTable } from '../source.js';

const dir = await mkdtemp(join(tmpdir(), 'fathom-db-'));
const deps = { cacheDir: join(dir, 'cache') };
const byName = (tables: SourceTable[], name: string) => {
  const t = tables.find((x) => x.ref.name === name);
  assert.ok(t, `${name} among ${tables.map((x) => x.ref.name).join(', ')}`);
  return t;
};

describe('sqlite source', () => {
  const path = join(dir, 'shop.sqlite');
  const config: SourceConfig = { name: 'shop', kind: 'sqlite', location: path };

  it('discovers tables with odd names, their columns and exact counts', async () => {
    const engine = await openSqliteEngine({ path });
    await engine.exec(`
      CREATE TABLE "order ""items"" list" ("line id" INTEGER PRIMARY KEY, "qty'" REAL NOT NULL, note TEXT);
      INSERT INTO "order ""items"" list" VALUES (1, 2.5, 'a'), (2, 1, NULL), (3, 4, 'ü');
      CREATE TABLE customers (id INTEGER, email TEXT);
      CREATE VIEW big_orders AS SELECT * FROM "order ""items"" list" WHERE "qty'" > 2;`);
    await engine.close();
    const { tables } = await connectSource(config, deps);
    assert.deepEqual(
      tables.map((t) => t.name),
      ['big_orders', 'customers', 'order "items" list'],
    );
    const items = byName(tables, 'order "items" list');
    assert.equal(items.rows, 3);
    assert.deepEqual(items.ref, { schema: 'main', name: 'order "items" list' });
    assert.deepEqual(
      items.columns.map((c) => [c.name, c.logicalType]),
      [
        ['line id', 'integer'],
        ["qty'", 'float'],
        ['note', 'string'],
      ],
    );
    assert.equal(byName(tables, 'customers').rows, 0);
    assert.equal(byName(tables, 'big_orders').rows, 2);
  });

  it('changes fingerprints when data changes, not on a re-read', async () => {
    const before = byName((await connectSource(config, deps)).tables, 'customers').fingerprint;
    assert.equal(byName((await connectSource(config, deps)).tables, 'customers').fingerprint, before);
    const engine = await openSqliteEngine({ path });
    await engine.exec(`INSERT INTO customers VALUES (1, 'a@b.c')`);
    await engine.close();
    const after = byName((await connectSource(config, deps)).tables, 'customers');
    assert.notEqual(after.fingerprint, before);
    assert.equal(after.rows, 1);
  });

  it('names a missing file', async () => {
    await assert.rejects(
      connectSource({ ...config, location: join(dir, 'nope.sqlite') }, deps),
      /nope\.sqlite does not exist/,
    );
  });
});

describe('duckdb source', () => {
  const path = join(dir, 'warehouse.duckdb');
  const config: SourceConfig = { name: 'wh', kind: 'duckdb', location: path };

  it('discovers tables across schemas, read-only', async () => {
    const engine = await openDuckDbEngine({ path });
    await engine.exec(`
      CREATE TABLE sales ("sale id" BIGINT, amount DECIMAL(10,2), sold_at TIMESTAMP);
      INSERT INTO sales VALUES (1, 9.99, TIMESTAMP '2024-01-01 10:00:00'), (2, 5, NULL);
      CREATE SCHEMA staging;
      CREATE TABLE staging."raw ""events""" (payload VARCHAR);
      INSERT INTO staging."raw ""events""" VALUES ('x');`);
    await engine.close();
    const { tables } = await connectSource(config, deps);
    assert.deepEqual(tables.map((t) => t.name).sort(), ['sales', 'staging.raw "events"']);
    const sales = byName(tables, 'sales');
    assert.equal(sales.rows, 2);
    assert.deepEqual(
      sales.columns.map((c) => [c.name, c.logicalType]),
      [
        ['sale id', 'integer'],
        ['amount', 'decimal'],
        ['sold_at', 'timestamp'],
      ],
    );
    assert.deepEqual(byName(tables, 'raw "events"').ref, { schema: 'staging', name: 'raw "events"' });
    const again = (await connectSource(config, deps)).tables;
    assert.equal(byName(again, 'sales').fingerprint, sales.fingerprint, 'read-only discovery changes nothing');
    const engine2 = await openDuckDbEngine({ path });
    await engine2.exec(`UPDATE sales SET amount = 1 WHERE "sale id" = 2; CHECKPOINT;`);
    await engine2.close();
    assert.notEqual(byName((await connectSource(config, deps)).tables, 'sales').fingerprint, sales.fingerprint);
  });

  it('treats a touched database file as possibly changed (documented, conservative)', async () => {
    const path2 = join(dir, 'touched.duckdb');
    const engine = await openDuckDbEngine({ path: path2 });
    await engine.exec('CREATE TABLE t AS SELECT 1 AS x');
    await engine.close();
    const cfg: SourceConfig = { name: 't', kind: 'duckdb', location: path2 };
    const before = (await connectSource(cfg, deps)).tables[0]?.fingerprint;
    const later = new Date(Date.now() + 5000);
    await utimes(path2, later, later);
    assert.notEqual((await connectSource(cfg, deps)).tables[0]?.fingerprint, before);
  });

  it('fails clearly on a file that is not a DuckDB database', async () => {
    const bogus = join(dir, 'bogus.duckdb');
    await writeFile(bogus, 'not a database');
    await assert.rejects(connectSource({ ...config, location: bogus }, deps), /DuckDB/);
  });
});
