import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FathomError } from '../util/fathom-error.js';
import { engineFactory, openEngine, type EngineSpec } from './open-engine.js';

test('openEngine opens DuckDB and SQLite by kind', async () => {
  for (const kind of ['duckdb', 'sqlite'] as const) {
    const engine = await openEngine({ kind });
    try {
      assert.equal(engine.dialect.name, kind);
      assert.deepEqual((await engine.query('SELECT $1 AS x', ['ok'])).rows, [{ x: 'ok' }]);
    } finally {
      await engine.close();
    }
  }
});

test('engineFactory opens a fresh engine per call', async () => {
  const factory = engineFactory({ kind: 'duckdb' });
  const [a, b] = [await factory(), await factory()];
  try {
    await a.exec('CREATE TABLE only_in_a (x INTEGER)');
    assert.deepEqual(
      (await b.listTables()).map((t) => t.name),
      [],
    );
  } finally {
    await a.close();
    await b.close();
  }
});

test('openEngine rejects an unknown kind with a usage error', async () => {
  await assert.rejects(
    openEngine({ kind: 'oracle' } as unknown as EngineSpec),
    (e: unknown) => e instanceof FathomError && e.kind === 'usage' && /oracle/.test(e.message),
  );
});

test('shared engine modules never import a driver statically', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const shared = readdirSync(here).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'));
  assert.ok(shared.includes('open-engine.js') && shared.includes('quote.js'));
  for (const file of shared) {
    const text = readFileSync(join(here, file), 'utf8');
    assert.doesNotMatch(text, /^import [^;]*from ['"](pg|better-sqlite3|@duckdb\/[^'"]+)['"]/m, file);
  }
});
