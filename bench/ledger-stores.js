// The two ledger stores as bench/ledger.js uses them, from a JSON-able spec.
import { openSqliteLedger } from '../dist/ledger/sqlite/sqlite-ledger-store.js';
import { openPostgresLedger } from '../dist/ledger/postgres/postgres-ledger-store.js';

export async function openStore(spec) {
  return spec.kind === 'sqlite'
    ? openSqliteLedger(spec.path)
    : openPostgresLedger({ url: spec.url, schema: spec.schema });
}
