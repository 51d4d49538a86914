import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDuckDbEngine } from '../engine/duckdb/duckdb-engine.js';
import type { SourceTable } from '../sources/source.js';
import { profileTable } from './profile-table.js';
import { inferRelationships } from './relationships.js';
import { valueFetcher } from './relate-values.js';

const tableOf = (name: string, rows: number): SourceTable => ({
  name,
  source: 's',
  location: name,
  ref: { name },
  fingerprint: name,
  rows,
  columns: [],
});

test('decoys are not references: small integer ranges, booleans, ages and a table’s own id; a value-only reference is found', async () => {
  const engine = await openDuckDbEngine();
  try {
    await engine.exec(`
      CREATE TABLE members AS SELECT range + 1 AS id, 'm' || range AS nickname FROM range(500);
      CREATE TABLE guides AS SELECT 1000 + range * 37 AS guide_code, range % 3 AS grade FROM range(120);
      CREATE TABLE visits AS SELECT
        range + 1 AS visit_id,                        -- its own key, also included in members.id
        1 + range % 5 AS rating,                      -- 1..5: included in members.id
        18 + range % 60 AS age,                       -- 18..77: included too
        range % 2 = 0 AS flag,
        1000 + (range % 100) * 37 AS host,            -- no name match, but sparse codes of guides.guide_code
        1 + range % 500 AS member_id                  -- the true reference
      FROM range(450);`);
    const profiles = [
      await profileTable(engine, tableOf('members', 500)),
      await profileTable(engine, tableOf('guides', 120)),
      await profileTable(engine, tableOf('visits', 450)),
    ];
    const fetch = valueFetcher(
      async () => engine,
      (t) => ({ name: t.table }),
    );
    const rels = await inferRelationships(profiles, fetch);
    const found = rels
      .map((r) => `${r.from.table}.${r.from.columns.join('+')}->${r.to.table}.${r.to.columns.join('+')}`)
      .sort();
    assert.deepEqual(found, ['visits.host->guides.guide_code', 'visits.member_id->members.id']);
    const named = rels.find((r) => r.from.columns[0] === 'member_id')!;
    const valueOnly = rels.find((r) => r.from.columns[0] === 'host')!;
    assert.ok(named.confidence > valueOnly.confidence, 'a name match is stronger evidence than values alone');
    assert.ok(valueOnly.confidence <= 0.6);
    assert.ok(valueOnly.evidence?.includes('values only (no name match)'));
  } finally {
    await engine.close();
  }
});
