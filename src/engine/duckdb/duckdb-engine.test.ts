import assert from 'node:assert/strict';
import { it } from 'node:test';
import { engineConformance } from '../engine-conformance.js';
import { openDuckDbEngine } from './duckdb-engine.js';

engineConformance('duckdb', () => openDuckDbEngine());

it('epochSeconds and datePart give UTC answers even when the session TimeZone is not UTC', async () => {
  const engine = await openDuckDbEngine();
  try {
    const d = engine.dialect;
    await engine.exec(`CREATE TABLE tz_t (tstz1 TIMESTAMPTZ, ts1 TIMESTAMP, date1 DATE)`);
    await engine.exec(`INSERT INTO tz_t VALUES ('2024-06-30 23:00:00.5+00', '2024-06-30 23:00:00.5', '2024-06-30')`);
    for (const zone of ['Asia/Kolkata', 'America/New_York']) {
      await engine.exec(`SET TimeZone = ${d.quoteString(zone)}`);
      const cols = ['tstz1', 'ts1', 'date1'].flatMap((c) => [
        `${d.epochSeconds(c)} AS e_${c}`,
        `${d.datePart('day', c)} AS d_${c}`,
        `${d.datePart('hour', c)} AS h_${c}`,
      ]);
      const { rows } = await engine.query(`SELECT ${cols.join(', ')} FROM tz_t`);
      const instant = Date.parse('2024-06-30T23:00:00.500Z') / 1000;
      assert.deepEqual(
        rows,
        [
          {
            e_tstz1: instant,
            d_tstz1: 30,
            h_tstz1: 23,
            e_ts1: instant,
            d_ts1: 30,
            h_ts1: 23,
            e_date1: Date.parse('2024-06-30') / 1000,
            d_date1: 30,
            h_date1: 0,
          },
        ],
        zone,
      );
    }
  } finally {
    await engine.close();
  }
});
