import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import { openSourceEngine } from '../sources/open-source-engine.js';
import { valueFetcher } from '../explore/relate-values.js';
import type { TableProfile } from '../explore/profile-table.js';
import { FathomError } from '../util/fathom-error.js';
import type { ColumnsRef } from './decision.js';

/**
 * Share of the child's rows (with a value) whose value is found in the parent: the coverage
 * of a reference a person declares that exploration did not find. Measured with the same
 * value-count queries as exploration, pushed to each table's engine; null when a column has
 * too many distinct values to fetch.
 */
export async function measureReference(ws: Workspace, from: ColumnsRef, to: ColumnsRef): Promise<number | null> {
  const ledger = await ws.ledger();
  const engines = new Map<string, Promise<Engine>>();
  const located = new Map<string, SourceTable>();
  const locate = async (r: ColumnsRef): Promise<TableProfile> => {
    const record = (await ledger.getState<SourceRecord>(SOURCES, r.source))?.value;
    const table = (await ledger.getState<SourceTable>(TABLES, tableKey(r.source, r.table)))?.value;
    if (!record || !table)
      throw new FathomError('not_found', `No table ${tableKey(r.source, r.table)} in this workspace`, {
        hint: 'Run fathom explore first.',
      });
    located.set(`${r.source}\u0000${r.table}`, table);
    if (!engines.has(r.source)) {
      const tables =
        record.tables.length > 0
          ? await Promise.all(
              record.tables.map(
                async (n) => (await ledger.getState<SourceTable>(TABLES, tableKey(r.source, n)))!.value,
              ),
            )
          : [table];
      engines.set(
        r.source,
        openSourceEngine(record, tables, {
          root: ws.paths.root,
          vault: () => ws.vault(process.stdin),
          duckdb: ws.config.engine,
          tempDirectory: join(ws.paths.cache, 'duckdb-tmp'),
        }),
      );
    }
    return { source: r.source, table: r.table } as TableProfile;
  };
  try {
    const child = await locate(from);
    const parent = await locate(to);
    const fetch = valueFetcher(
      (p) => engines.get(p.source)!,
      (p) => located.get(`${p.source}\u0000${p.table}`)!.ref,
    );
    const [c, p] = await Promise.all([fetch(child, from.columns), fetch(parent, to.columns)]);
    if (c.truncated || p.truncated) return null;
    let total = 0;
    let found = 0;
    for (const [v, n] of c.counts) {
      total += n;
      if (p.counts.has(v)) found += n;
    }
    return total === 0 ? 0 : found / total;
  } finally {
    for (const e of engines.values())
      await e.then(
        (x) => x.close(),
        () => undefined,
      );
  }
}
