import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgresEngine } from './postgres-engine.js';
import { postgresTestUrl, POSTGRES_SKIP_REASON } from '../../testing/postgres-url.js';

const url = postgresTestUrl();

// Its own file: Node prints a deprecation warning once per process, so another test could
// use it up before this one listens.
test(
  'session settings run before the first query on every new connection, without overlapping it',
  { skip: url === undefined && POSTGRES_SKIP_REASON },
  async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const engine = await openPostgresEngine({ url: url!, poolSize: 4 });
    try {
      // Parallel queries make the pool open new connections, each handed out straight away.
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          engine.query(`SELECT current_setting('TimeZone') AS tz, pg_sleep(0.05)::text AS s`),
        ),
      );
      assert.deepEqual(new Set(results.map((r) => r.rows[0]?.tz)), new Set(['UTC']));
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(
        warnings.filter((m) => /already executing a query/.test(m)),
        [],
      );
    } finally {
      process.off('warning', onWarning);
      await engine.close();
    }
  },
);
