import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GENESIS_HASH, sealEntry } from './entry-hash.js';
import { createReplay, replayChecksum, replayEntry, type StoredStateRow } from './projection-replay.js';
import { verifyLedger, type VerifySource } from './verify-ledger.js';
import type { StoredEntryRow } from './verify-chain.js';

/** A correct ledger of n entries as a store would hold it, built with the shared sealing. */
function ledger(n: number): {
  rows: StoredEntryRow[];
  state: StoredStateRow[];
  head: NonNullable<VerifySource['head']>;
} {
  const rows: StoredEntryRow[] = [];
  const replay = createReplay();
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const patches = [{ collection: 'c', key: `k${seq % 2}`, value: { seq } }];
    const { entry: e, body } = sealEntry(
      { kind: 'k', status: 'recorded', workerId: 'w', patches },
      seq,
      `2024-01-01T00:00:0${seq}.000Z`,
      prev,
    );
    rows.push({
      seq,
      at: e.at,
      kind: e.kind,
      status: e.status,
      fingerprint: null,
      workerId: 'w',
      metadataVersion: null,
      body,
      prevHash: prev,
      hash: e.hash,
    });
    replayEntry(replay, e);
    prev = e.hash;
  }
  const state = [...replay.rows.values()].map((r) => ({
    collection: r.collection,
    key: r.key,
    value: r.valueJson,
    seq: r.seq,
  }));
  return {
    rows,
    state,
    head: { seq: n, hash: prev, projectionChecksum: replayChecksum(replay), countsByStatus: { recorded: n } },
  };
}

// Async on purpose: a Postgres store streams through a cursor.
async function* stream<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

const run = (l: ReturnType<typeof ledger>, head: VerifySource['head'] = l.head) =>
  verifyLedger({ head, entries: stream(l.rows), state: () => stream(l.state) });

describe('verifyLedger (store-independent)', () => {
  it('accepts a correct ledger streamed from async iterables', async () => {
    const report = await run(ledger(5));
    assert.deepEqual([report.ok, report.entries, report.firstProblem, report.projectionDiff], [true, 5, null, []]);
  });

  it('names an entry whose prev_hash does not link to the one before', async () => {
    const l = ledger(4);
    const third = l.rows[2]!;
    l.rows[2] = { ...third, prevHash: 'b'.repeat(64) };
    const report = await run(l);
    assert.equal(report.firstProblem?.seq, 3);
    assert.match(report.firstProblem?.reason ?? '', /prev_hash bbbbbbbbbbbb… is not the hash of seq 2/);
  });

  it('names rows that are out of order', async () => {
    const l = ledger(4);
    [l.rows[1], l.rows[2]] = [l.rows[2]!, l.rows[1]!];
    const report = await run(l);
    assert.equal(report.firstProblem?.seq, 2);
    assert.match(report.firstProblem?.reason ?? '', /jumps from seq 1 to 3/);
  });

  it('names a head whose hash is not the last entry, or that stops short of the log', async () => {
    const l = ledger(3);
    assert.match(
      (await run(l, { ...l.head, hash: 'c'.repeat(64) })).firstProblem?.reason ?? '',
      /head hash cccccccccccc… differs/,
    );
    const short = await run(l, { ...l.head, seq: 2 });
    assert.deepEqual([short.firstProblem?.seq, /not in the head/.test(short.firstProblem?.reason ?? '')], [3, true]);
  });

  it('reports a head checksum or counts that do not match the replay', async () => {
    const l = ledger(3);
    const report = await run(l, { ...l.head, projectionChecksum: '1'.repeat(64), countsByStatus: { recorded: 2 } });
    assert.deepEqual([report.ok, report.firstProblem, report.projectionOk], [false, null, false]);
    assert.match(report.projectionDiff.join('\n'), /head projection checksum 1{64} differs/);
    assert.match(
      report.projectionDiff.join('\n'),
      /head counts \{"recorded":2\} differ from the log's \{"recorded":3\}/,
    );
  });

  it('reports extra state rows and a wrong writer seq', async () => {
    const l = ledger(3);
    l.state.push({ collection: 'c', key: 'stray', value: '1', seq: 1 });
    l.state[0] = { ...l.state[0]!, seq: 1 };
    const report = await run(l);
    assert.match(report.projectionDiff.join('\n'), /state c\/stray \(written by seq 1\) is not produced by the log/);
    assert.match(report.projectionDiff.join('\n'), /says it was written by seq 1, the log says seq 3/);
  });

  it('caps the list of differences', async () => {
    const l = ledger(1);
    for (let i = 0; i < 30; i++) l.state.push({ collection: 'x', key: String(i), value: '1', seq: 1 });
    const report = await run(l);
    assert.equal(report.projectionDiff.length, 21); // 20 listed, then "… and 10 more"
    assert.match(report.projectionDiff[20] ?? '', /and 10 more differences/);
  });
});
