import { z } from 'zod';
import type { SourceConfig, SourceTable } from '../source.js';
import type { Engine } from '../../engine/engine.js';
import { openPostgresEngine } from '../../engine/postgres/postgres-engine.js';
import { badInput } from '../../util/fathom-error.js';
import { hashJson } from '../../util/hash.js';
import type { ConnectDeps } from './connect-deps.js';

/** Tables up to this size on disk get an exact COUNT(*) (a few ms); bigger ones the estimate. */
const EXACT_COUNT_BYTES = 16 * 1024 * 1024;

const optionsSchema = z
  .object({ schemas: z.array(z.string().min(1)).min(1) })
  .partial()
  .strict();

/**
 * Leaf relations of each user table: the table itself, or every leaf partition of a
 * partitioned table (whose own statistics are empty). System and temp schemas are skipped,
 * and so are tables the user may not SELECT from.
 */
const TABLES_SQL = `
SELECT n.nspname AS schema_name, c.relname AS table_name, c.relkind::text AS kind,
       c.reltuples::float8 AS reltuples, agg.bytes, agg.filenodes, agg.ins, agg.upd, agg.del
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
  SELECT coalesce(sum(pg_relation_size(leaf.relid)), 0)::int8 AS bytes,
         string_agg(lc.relfilenode::text, ',' ORDER BY leaf.relid) AS filenodes,
         coalesce(sum(s.n_tup_ins), 0)::int8 AS ins,
         coalesce(sum(s.n_tup_upd), 0)::int8 AS upd,
         coalesce(sum(s.n_tup_del), 0)::int8 AS del
  FROM (SELECT c.oid::regclass AS relid WHERE c.relkind = 'r'
        UNION ALL
        SELECT t.relid FROM pg_partition_tree(c.oid) t WHERE c.relkind = 'p' AND t.isleaf) leaf
  JOIN pg_class lc ON lc.oid = leaf.relid
  LEFT JOIN pg_stat_user_tables s ON s.relid = leaf.relid
) agg
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))
  AND has_table_privilege(c.oid, 'SELECT')
ORDER BY 1, 2`;

/**
 * User tables of a Postgres database (option `schemas` narrows it). Views are left out: they
 * have no statistics, so no cheap fingerprint could tell when their data changed.
 *
 * Fingerprint: schema, name, columns, the insert/update/delete counters of
 * pg_stat_user_tables, the relfilenode (TRUNCATE and rewrites change it but no counter), and
 * the exact count for small tables. `reltuples` is left out although it is cheap: ANALYZE
 * moves it without any data changing. Counters reach the statistics system when a session
 * goes idle (Postgres 15+) or every 500 ms (older), so a change made a moment ago may be seen
 * only on the next discovery.
 */
export async function discoverPostgresTables(config: SourceConfig, deps: ConnectDeps): Promise<SourceTable[]> {
  const parsed = optionsSchema.safeParse(config.options ?? {});
  if (!parsed.success) {
    throw badInput(
      `Source ${config.name} has invalid options: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      'Postgres sources take schemas: [name, …].',
    );
  }
  const engine = await openPostgresEngine({
    url: config.location,
    ...(deps.secret === undefined ? {} : { password: deps.secret }),
  });
  try {
    const { rows } = await engine.query(TABLES_SQL, [
      parsed.data.schemas ? `{${parsed.data.schemas.map(arrayItem).join(',')}}` : null,
    ]);
    const tables: SourceTable[] = [];
    for (const row of rows) tables.push(await describeTable(engine, config, row));
    return tables;
  } finally {
    await engine.close();
  }
}

async function describeTable(engine: Engine, config: SourceConfig, row: Record<string, unknown>): Promise<SourceTable> {
  const ref = { schema: String(row.schema_name), name: String(row.table_name) };
  const columns = await engine.describe(ref);
  const bytes = Number(row.bytes);
  let exact: number | null = null;
  if (bytes <= EXACT_COUNT_BYTES) {
    const counted = await engine.query(`SELECT count(*) AS n FROM ${engine.dialect.quoteTable(ref)}`);
    exact = Number(counted.rows[0]?.n);
  }
  const estimate = Number(row.reltuples);
  const fingerprint = hashJson({
    kind: 'postgres',
    ...ref,
    columns: columns.map((c) => [c.name, c.physicalType, c.nullable]),
    filenodes: row.filenodes,
    counters: [row.ins, row.upd, row.del].map(Number),
    exact,
  });
  return {
    name: ref.schema === 'public' ? ref.name : `${ref.schema}.${ref.name}`,
    source: config.name,
    location: `${ref.schema}.${ref.name}`,
    ref,
    fingerprint,
    rows: exact ?? (estimate >= 0 ? Math.round(estimate) : null),
    columns,
    details: { relkind: row.kind === 'p' ? 'partitioned' : 'table', bytes, rowsExact: exact !== null },
  };
}

/** One element of a Postgres array literal, quoted so commas, quotes and braces survive. */
function arrayItem(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
