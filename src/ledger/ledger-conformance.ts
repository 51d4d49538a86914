import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { FathomError } from '../util/fathom-error.js';
import { GENESIS_HASH } from './entry-hash.js';
import { checksumOfDigests, EMPTY_CHECKSUM, rowDigest } from './projection-checksum.js';
import type { EntryInput, LedgerStore } from './ledger-store.js';

/**
 * The behaviour every LedgerStore must have, run by each implementation's test file with
 * its own factory. Tamper hooks edit the stored rows behind the store's back (raw SQL), the
 * way a bad disk, a bad migration or a person would, so verify can be shown to catch it.
 */

export interface LedgerFixture<L> {
  readonly store: LedgerStore;
  /** Store-specific address the tamper hooks use, e.g. the SQLite file path. */
  readonly location: L;
  /** A second, independent store on the same ledger, as another process would open; absent
   * for a ledger nothing else can reach (in-memory). */
  reopen?(): Promise<LedgerStore>;
  cleanup(): Promise<void>;
}

export interface LedgerTamper<L> {
  /** Set one member of an entry's stored body (path like ['params', 'table']); hashes untouched. */
  setBodyField(at: L, seq: number, path: readonly string[], value: unknown): Promise<void>;
  setHash(at: L, seq: number, hash: string): Promise<void>;
  /** Change the indexed kind column only, leaving the body alone. */
  setKindColumn(at: L, seq: number, kind: string): Promise<void>;
  deleteEntries(at: L, seqs: readonly number[]): Promise<void>;
  /** Overwrite (or with null, delete) one projected state row. */
  setStateValue(at: L, collection: string, key: string, valueJson: string | null): Promise<void>;
  /** Replace an entry's stored body text wholesale; hashes untouched. */
  setBodyText(at: L, seq: number, body: string): Promise<void>;
  /** Remove the head row. */
  deleteHead(at: L): Promise<void>;
}

const W = 'worker-1';
const FP = (n: number): string => n.toString(16).padStart(64, '0');

function entry(i: number, extra: Partial<EntryInput> = {}): EntryInput {
  return {
    kind: i % 2 === 0 ? 'explore.profile' : 'learn.train',
    status: i % 3 === 0 ? 'failed' : 'succeeded',
    fingerprint: FP(i % 4),
    workerId: W,
    params: { table: `t${i}`, sample: 100 },
    patches: [{ collection: 'tables', key: `t${i % 3}`, value: { rows: i } }],
    ...extra,
  };
}

async function appendMany(store: LedgerStore, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await store.append(entry(i));
}

/** `tamper: null` skips the tamper tests, for a store nothing else can reach (in-memory). */
export function ledgerConformance<L>(
  name: string,
  factory: () => Promise<LedgerFixture<L>>,
  tamper: LedgerTamper<L> | null,
): void {
  const noTamper = tamper === null ? 'this store offers no tamper hooks' : false;
  // Only reached when tamper is non-null: the tests that use it are skipped otherwise.
  const t = tamper as LedgerTamper<L>;
  describe(`LedgerStore conformance: ${name}`, () => {
    let fx: LedgerFixture<L>;
    let store: LedgerStore;
    beforeEach(async () => {
      fx = await factory();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('starts empty, at the genesis hash, and verifies', async () => {
      assert.equal(await store.checkHead(), null);
      const head = await store.head();
      assert.deepEqual(
        [head.seq, head.hash, head.projectionChecksum, head.countsByStatus],
        [0, GENESIS_HASH, EMPTY_CHECKSUM, {}],
      );
      const report = await store.verify();
      assert.equal(report.ok, true);
      assert.equal(report.entries, 0);
    });

    it('assigns contiguous seqs, chains each entry to the previous hash, and keeps the head current', async () => {
      const a = await store.append(entry(1));
      const b = await store.append(entry(2));
      assert.deepEqual([a.seq, b.seq], [1, 2]);
      assert.equal(a.prevHash, GENESIS_HASH);
      assert.equal(b.prevHash, a.hash);
      assert.notEqual(a.hash, b.hash);
      const head = await store.head();
      assert.deepEqual([head.seq, head.hash, head.countsByStatus], [2, b.hash, { succeeded: 2 }]);
    });

    it('returns exactly what a reader later sees: defaults filled, values canonical', async () => {
      const appended = await store.append({
        kind: 'k',
        status: 'recorded',
        workerId: W,
        params: { when: new Date('2024-01-02T03:04:05Z'), gone: undefined },
      });
      assert.deepEqual(appended.params, { when: '2024-01-02T03:04:05.000Z' });
      assert.deepEqual(
        [appended.fingerprint, appended.inputs, appended.output, appended.patches],
        [null, [], null, []],
      );
      const [read] = await store.entries();
      assert.deepEqual(read, appended);
    });

    it('rejects an invalid entry with bad_input and appends nothing', async () => {
      await assert.rejects(
        store.append({ kind: 'k', status: 'done' as never, workerId: W }),
        (err: unknown) => err instanceof FathomError && err.kind === 'bad_input' && /status 'done'/.test(err.message),
      );
      assert.equal((await store.head()).seq, 0);
    });

    it('applies patches to the projection: replace, delete with null, list ordered by key', async () => {
      await store.append(
        entry(1, {
          patches: [
            { collection: 'c', key: 'b', value: 1 },
            { collection: 'c', key: 'a', value: { x: 1 } },
          ],
        }),
      );
      await store.append(
        entry(2, {
          patches: [
            { collection: 'c', key: 'b', value: 2 },
            { collection: 'd', key: 'a', value: 'other' },
          ],
        }),
      );
      await store.append(entry(3, { patches: [{ collection: 'c', key: 'a', value: null }] }));
      assert.deepEqual(await store.getState('c', 'b'), { key: 'b', value: 2, seq: 2 });
      assert.equal(await store.getState('c', 'a'), undefined);
      await store.append(entry(4, { patches: [{ collection: 'c', key: 'a', value: [1] }] }));
      assert.deepEqual(await store.listState('c'), [
        { key: 'a', value: [1], seq: 4 },
        { key: 'b', value: 2, seq: 2 },
      ]);
    });

    it('keeps the head checksum equal to the checksum of the projected rows', async () => {
      await appendMany(store, 7);
      await store.append(entry(8, { patches: [{ collection: 'tables', key: 't1', value: null }] }));
      const rows = await store.listState<unknown>('tables');
      assert.equal(rows.length, 2);
      const expected = checksumOfDigests(rows.map((r) => rowDigest('tables', r.key, r.value)));
      assert.equal((await store.head()).projectionChecksum, expected);
    });

    it('pages forward with afterSeq, backward with beforeSeq, and filters by kind, status, fingerprint', async () => {
      await appendMany(store, 12);
      const seqs = (es: Array<{ seq: number }>): number[] => es.map((e) => e.seq);
      assert.deepEqual(seqs(await store.entries({ limit: 5 })), [1, 2, 3, 4, 5]);
      assert.deepEqual(seqs(await store.entries({ afterSeq: 5, limit: 5 })), [6, 7, 8, 9, 10]);
      assert.deepEqual(seqs(await store.entries({ afterSeq: 10, limit: 5 })), [11, 12]);
      assert.deepEqual(seqs(await store.entries({ beforeSeq: 5, limit: 3 })), [4, 3, 2]);
      assert.deepEqual(seqs(await store.entries({ beforeSeq: 5, limit: 3, descending: false })), [1, 2, 3]);
      assert.deepEqual(seqs(await store.entries({ descending: true, limit: 2 })), [12, 11]);
      assert.deepEqual(seqs(await store.entries({ afterSeq: 2, beforeSeq: 7 })), [3, 4, 5, 6]);
      assert.deepEqual(seqs(await store.entries({ kind: 'learn.train' })), [1, 3, 5, 7, 9, 11]);
      assert.deepEqual(seqs(await store.entries({ status: 'failed' })), [3, 6, 9, 12]);
      assert.deepEqual(seqs(await store.entries({ fingerprint: FP(1) })), [1, 5, 9]);
      assert.deepEqual(seqs(await store.entries({ kind: 'learn.train', status: 'failed', afterSeq: 3 })), [9]);
      assert.deepEqual(await store.entries({ limit: 0 }), []);
    });

    it('keeps one chain when two stores append to the same ledger in turn', async (ctx) => {
      if (fx.reopen === undefined) return ctx.skip('the ledger cannot be reopened');
      const other = await fx.reopen();
      try {
        for (let i = 1; i <= 6; i++) await (i % 2 === 0 ? other : store).append(entry(i));
        const report = await other.verify();
        assert.equal(report.ok, true, JSON.stringify(report));
        assert.deepEqual((await store.head()).seq, 6);
      } finally {
        await other.close();
      }
    });

    it('verifies a healthy ledger with replaced and deleted state', async () => {
      await appendMany(store, 9);
      // Integer-like keys are ordered first by JS objects, and reordered by Postgres jsonb.
      await store.append(
        entry(9, { patches: [{ collection: 'odd', key: 'k', value: { b: 1, 10: [{ z: 1, 2: 0 }], 2: 'x' } }] }),
      );
      await store.append(entry(10, { patches: [{ collection: 'tables', key: 't0', value: null }] }));
      const report = await store.verify();
      assert.deepEqual(
        [report.ok, report.entries, report.headSeq, report.firstProblem, report.projectionDiff],
        [true, 11, 11, null, []],
      );
      assert.deepEqual((await store.getState('odd', 'k'))?.value, { b: 1, 10: [{ z: 1, 2: 0 }], 2: 'x' });
    });

    it('keeps apart collection/key pairs that would join to the same text', async () => {
      // Keys come from data (table and column names), so any character can appear in them.
      const patches = [
        { collection: 'a\u0000b', key: 'c', value: 1 },
        { collection: 'a', key: 'b\u0000c', value: 2 },
      ];
      await store.append(entry(1, { patches }));
      const report = await store.verify();
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.deepEqual(await store.getState('a', 'b\u0000c'), { key: 'b\u0000c', value: 2, seq: 1 });
      await store.rebuildProjections();
      assert.deepEqual(await store.getState('a\u0000b', 'c'), { key: 'c', value: 1, seq: 1 });
      assert.equal((await store.verify()).ok, true);
    });

    it('verifies one consistent snapshot while appends go on', async () => {
      await appendMany(store, 20);
      const verifying = store.verify(); // starts reading, then the appends run while it is suspended
      const appends = [21, 22, 23].map((i) => store.append(entry(i)));
      const [report] = await Promise.all([verifying, ...appends]);
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.equal((await store.verify()).entries, 23);
    });

    describe('detects tampering', { skip: noTamper }, () => {
      beforeEach(async () => {
        await appendMany(store, 5);
      });

      const broken = async (seq: number, reason: RegExp): Promise<void> => {
        const report = await store.verify();
        assert.equal(report.ok, false);
        assert.equal(report.firstProblem?.seq, seq, JSON.stringify(report.firstProblem));
        assert.match(report.firstProblem?.reason ?? '', reason);
      };

      it('an edited params value in a body', async () => {
        await t.setBodyField(fx.location, 3, ['params', 'table'], 'other');
        await broken(3, /hash .* does not match its body/);
      });
      it('an edited hash', async () => {
        await t.setHash(fx.location, 3, 'f'.repeat(64));
        await broken(3, /does not match its body/);
      });
      it('an indexed column that disagrees with the body', async () => {
        await t.setKindColumn(fx.location, 2, 'deploy.promote');
        await broken(2, /kind is "deploy.promote" but the body says "explore.profile"/);
      });
      it('a deleted middle entry', async () => {
        await t.deleteEntries(fx.location, [3]);
        await broken(3, /entry 3 is missing: the log jumps from seq 2 to 4/);
      });
      it('a truncated tail, because the head remembers the last seq', async () => {
        await t.deleteEntries(fx.location, [4, 5]);
        await broken(4, /head says the log ends at seq 5 .* but it ends at seq 3/);
      });
      it('a body that is JSON but not an entry, reported rather than thrown, and later entries still checked', async () => {
        for (const [seq, text] of [
          [2, 'null'],
          [3, '[1]'],
          [4, '{"seq":4,"patches":[null,{"key":1}]}'],
        ] as const) {
          await t.setBodyText(fx.location, seq, text);
        }
        await broken(2, /does not match its body/);
        await t.setBodyField(fx.location, 5, ['params', 'table'], 'other');
        const report = await store.verify();
        assert.deepEqual([report.entries, report.firstProblem?.seq], [5, 2]);
      });
      it('a deleted head row: verify reports it, reads and appends fail naming the ledger', async () => {
        await t.deleteHead(fx.location);
        const report = await store.verify();
        assert.equal(report.ok, false);
        assert.match(report.firstProblem?.reason ?? '', /head row is missing/);
        const integrity = (e: unknown) =>
          e instanceof FathomError && e.kind === 'integrity' && /head row is missing/.test(e.message);
        await assert.rejects(store.head(), integrity);
        await assert.rejects(store.append(entry(6)), integrity);
      });
      it('the O(1) head check: healthy, then an altered last entry, a truncated tail, a missing head, each named', async () => {
        assert.equal(await store.checkHead(), null);
        await t.setBodyField(fx.location, 5, ['params', 'table'], 'other');
        assert.match(JSON.stringify(await store.checkHead()), /"seq":5,"reason":"hash .* does not match its body/);
        await t.deleteEntries(fx.location, [5]);
        assert.match(JSON.stringify(await store.checkHead()), /"seq":5,"reason":"entry 5 is missing/);
        await t.deleteHead(fx.location);
        assert.match((await store.checkHead())?.reason ?? '', /head row is missing/);
      });
      it('a tampered state row, as a projection mismatch naming the row', async () => {
        await t.setStateValue(fx.location, 'tables', 't1', '{"rows":999}');
        const report = await store.verify();
        assert.deepEqual([report.ok, report.firstProblem, report.projectionOk], [false, null, false]);
        assert.match(
          report.projectionDiff[0] ?? '',
          /state tables\/t1 is \{"rows":999\} but replaying the log gives \{"rows":4\}/,
        );
      });
      it('a deleted state row', async () => {
        await t.setStateValue(fx.location, 'tables', 't2', null);
        const report = await store.verify();
        assert.equal(report.projectionOk, false);
        assert.match(report.projectionDiff.join('\n'), /state tables\/t2 is missing/);
      });
    });

    it('rebuildProjections repairs a tampered projection and keeps the head checksum', { skip: noTamper }, async () => {
      await appendMany(store, 5);
      const before = await store.head();
      await t.setStateValue(fx.location, 'tables', 't1', '{"rows":999}');
      await t.setStateValue(fx.location, 'tables', 't2', null);
      await t.setStateValue(fx.location, 'junk', 'x', '1');
      await store.rebuildProjections();
      assert.equal((await store.verify()).ok, true);
      assert.deepEqual(await store.getState('tables', 't1'), { key: 't1', value: { rows: 4 }, seq: 4 });
      assert.deepEqual(await store.listState('junk'), []);
      assert.deepEqual(await store.head(), before);
    });

    it('rebuildProjections does not hide a truncated log', { skip: noTamper }, async () => {
      await appendMany(store, 5);
      await t.deleteEntries(fx.location, [5]);
      await store.rebuildProjections();
      const report = await store.verify();
      assert.equal(report.firstProblem?.seq, 5);
    });
  });
}
