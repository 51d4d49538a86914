import pg from 'pg';
import type { LedgerTamper } from '../ledger-conformance.js';

/** Where a Postgres test ledger lives. */
export interface PostgresLocation {
  readonly url: string;
  readonly schema: string;
}

/**
 * Raw-SQL edits for the conformance suite's tamper tests, on their own connection with the
 * append-only triggers disabled, as someone editing the tables by hand would.
 */
async function edit(at: PostgresLocation, sql: string, args: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: at.url, options: `-c search_path=${at.schema}` });
  await client.connect();
  try {
    await client.query('ALTER TABLE log DISABLE TRIGGER USER');
    await client.query(sql, args);
    await client.query('ALTER TABLE log ENABLE TRIGGER USER');
  } finally {
    await client.end();
  }
}

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

export const postgresTamper: LedgerTamper<PostgresLocation> = {
  async setBodyField(at, seq, path, value) {
    await edit(at, 'UPDATE log SET body = jsonb_set(body::jsonb, $1::text[], $2::jsonb)::text WHERE seq = $3', [
      path,
      JSON.stringify(value),
      seq,
    ]);
  },
  async setHash(at, seq, hash) {
    await edit(at, 'UPDATE log SET hash = $1 WHERE seq = $2', [hash, seq]);
  },
  async setKindColumn(at, seq, kind) {
    await edit(at, 'UPDATE log SET kind = $1 WHERE seq = $2', [kind, seq]);
  },
  async deleteEntries(at, seqs) {
    // State rows reference the log; a person deleting entries would drop those first.
    await edit(at, 'ALTER TABLE state DROP CONSTRAINT IF EXISTS state_seq_fkey');
    await edit(at, 'DELETE FROM log WHERE seq = ANY($1::bigint[])', [seqs]);
  },
  async setBodyText(at, seq, body) {
    await edit(at, 'UPDATE log SET body = $1 WHERE seq = $2', [body, seq]);
  },
  async deleteHead(at) {
    await edit(at, 'DELETE FROM head');
  },
  async setStateValue(at, collection, key, valueJson) {
    if (valueJson === null)
      await edit(at, 'DELETE FROM state WHERE collection = $1 AND key = $2', [b(collection), b(key)]);
    else {
      await edit(
        at,
        `INSERT INTO state (collection, key, value, seq) VALUES ($1, $2, $3, (SELECT max(seq) FROM log))
         ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value`,
        [b(collection), b(key), valueJson],
      );
    }
  },
};
