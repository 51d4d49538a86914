import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerStore } from './ledger-store.js';
import { LeaseLostError, type LeaseTimes, type QueuedAction } from './work-queue.js';

/** The behaviour every store's work queue must have; run by each store's test file. */
export interface QueueFixture {
  readonly store: LedgerStore;
  reopen?(): Promise<LedgerStore>;
  cleanup(): Promise<void>;
}

const FP = (name: string): string => Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64);
const TIMES: LeaseTimes = { leaseSeconds: 30, backoffSeconds: 0 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function action(name: string, dependsOn: string[] = [], extra: Partial<QueuedAction> = {}): QueuedAction {
  return {
    fingerprint: FP(name),
    kind: 'test.q',
    version: '1',
    params: { name },
    inputs: dependsOn.map(FP),
    dependsOn: dependsOn.map(FP),
    metadataVersion: 3,
    ...extra,
  };
}

export function workQueueConformance(name: string, factory: () => Promise<QueueFixture>): void {
  describe(`WorkQueue conformance: ${name}`, () => {
    let fx: QueueFixture;
    let store: LedgerStore;
    beforeEach(async () => {
      fx = await factory();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    const finish = (fp: string, owner: string, status: 'succeeded' | 'failed' = 'succeeded', times = TIMES) =>
      store.append(
        { kind: 'test.q', status, fingerprint: fp, workerId: owner, ...(status === 'failed' ? { error: 'boom' } : {}) },
        { lease: { owner, times } },
      );

    it('claims each ready action once, self-contained, and then nothing', async () => {
      await store.queue.enqueue([action('a'), action('b')]);
      const a = await store.queue.claim('w1', TIMES);
      assert.deepEqual(
        a && {
          fp: a.fingerprint,
          kind: a.kind,
          version: a.version,
          params: a.params,
          inputs: a.inputs,
          mv: a.metadataVersion,
          attempts: a.attempts,
          max: a.maxAttempts,
        },
        { fp: FP('a'), kind: 'test.q', version: '1', params: { name: 'a' }, inputs: [], mv: 3, attempts: 1, max: 5 },
      );
      assert.equal((await store.queue.claim('w2', TIMES))?.fingerprint, FP('b'));
      assert.equal(await store.queue.claim('w3', TIMES), undefined);
      assert.deepEqual(await store.queue.counts(), { ready: 0, leased: 2, done: 0, failed: 0 });
      const rows = await store.queue.rows([FP('a')]);
      assert.deepEqual(
        rows.map((r) => [r.state, r.leaseOwner]),
        [['leased', 'w1']],
      );
      assert.deepEqual(
        (await store.queue.leased()).map((r) => r.leaseOwner),
        ['w1', 'w2'],
      );
    });

    it('hands the stop time over with the claim; the newest plan sets it unless the action is running', async () => {
      const stopAt = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
      await store.queue.enqueue([action('a', [], { stopAt }), action('b')]);
      await store.queue.enqueue([action('a', [], { stopAt: stopAt + 1000 })]);
      const a = await store.queue.claim('w', TIMES);
      assert.deepEqual([a?.fingerprint, a?.stopAt], [FP('a'), stopAt + 1000], 'a ready row takes the new stop');
      assert.equal((await store.queue.claim('w', TIMES))?.stopAt, null, 'no stop time: none');
      // Running now: a later plan does not move the deadline of the run in progress.
      await store.queue.enqueue([action('a', [], { stopAt: stopAt + 5000 })]);
      await store.queue.release(FP('a'), 'w');
      assert.equal((await store.queue.claim('w', TIMES))?.stopAt, stopAt + 1000);
      // Done, then planned again without a budget: the old stop time is gone.
      await finish(FP('a'), 'w');
      await store.queue.enqueue([action('a')]);
      assert.equal((await store.queue.claim('w', TIMES))?.stopAt, null);
    });

    it('fails a final failure for good at once, attempts left or not, with its dependents', async () => {
      await store.queue.enqueue([action('a', [], { maxAttempts: 5 }), action('b', ['a'])]);
      await store.queue.claim('w', TIMES);
      await store.append(
        { kind: 'test.q', status: 'failed', fingerprint: FP('a'), workerId: 'w', error: 'out of time' },
        { lease: { owner: 'w', times: TIMES, final: true } },
      );
      const rows = await store.queue.rows([FP('a'), FP('b')]);
      assert.deepEqual(
        rows.map((r) => [r.fingerprint, r.state, r.attempts]),
        [
          [FP('a'), 'failed', 1],
          [FP('b'), 'failed', 0],
        ],
      );
    });

    it('makes an action ready only when all its dependencies are done', async () => {
      await store.queue.enqueue([action('a'), action('b'), action('c', ['a', 'b'])]);
      const first = await store.queue.claim('w', TIMES);
      const second = await store.queue.claim('w', TIMES);
      assert.equal(await store.queue.claim('w', TIMES), undefined, 'c waits for a and b');
      await finish(first!.fingerprint, 'w');
      assert.equal(await store.queue.claim('w', TIMES), undefined, 'c still waits for the other');
      await finish(second!.fingerprint, 'w');
      const c = await store.queue.claim('w', TIMES);
      assert.deepEqual([c?.fingerprint, c?.dependsOn], [FP('c'), [FP('a'), FP('b')].sort()]);
    });

    it('commits a result only under the lease: another owner gets LeaseLostError and nothing is appended', async () => {
      await store.queue.enqueue([action('a')]);
      await store.queue.claim('w1', TIMES);
      const before = (await store.head()).seq;
      await assert.rejects(
        finish(FP('a'), 'w2'),
        (e: unknown) => e instanceof LeaseLostError && /leased by w1/.test(e.message),
      );
      assert.equal((await store.head()).seq, before);
      await finish(FP('a'), 'w1');
      assert.deepEqual(
        (await store.queue.rows([FP('a')])).map((r) => r.state),
        ['done'],
      );
      await assert.rejects(
        finish(FP('a'), 'w1'),
        (e: unknown) => e instanceof LeaseLostError && /is done/.test(e.message),
        'a retried commit of a done action',
      );
      assert.equal((await store.head()).seq, before + 1);
      assert.equal((await store.verify()).ok, true);
    });

    it('retries a failure with backoff, fails for good at max attempts, and fails its dependents', async () => {
      await store.queue.enqueue([action('a', [], { maxAttempts: 2 }), action('b', ['a']), action('c', ['b'])]);
      const slow: LeaseTimes = { leaseSeconds: 30, backoffSeconds: 3600 };
      await store.queue.claim('w', TIMES);
      await finish(FP('a'), 'w', 'failed', slow);
      const [row] = await store.queue.rows([FP('a')]);
      assert.deepEqual([row?.state, row?.attempts, row?.lastError], ['ready', 1, 'boom']);
      assert.equal(await store.queue.claim('w', TIMES), undefined, 'backoff: not ready for an hour');
      await store.queue.enqueue([action('a', [], { maxAttempts: 2 })]);
      assert.deepEqual(
        (await store.queue.rows([FP('a')])).map((r) => r.attempts),
        [1],
        'a ready row is left alone',
      );
    });

    it('fails for good after max attempts, and everything downstream with it', async () => {
      await store.queue.enqueue([action('a', [], { maxAttempts: 2 }), action('b', ['a']), action('c', ['b'])]);
      for (let i = 0; i < 2; i++) {
        const claimed = await store.queue.claim('w', TIMES);
        assert.equal(claimed?.fingerprint, FP('a'));
        await finish(FP('a'), 'w', 'failed');
      }
      await store.queue.enqueue([action('d')]);
      const rows = await store.queue.rows();
      assert.deepEqual(
        rows.map((r) => [r.fingerprint, r.state]),
        [
          [FP('a'), 'failed'],
          [FP('b'), 'failed'],
          [FP('c'), 'failed'],
          [FP('d'), 'ready'],
        ],
      );
      assert.match(rows[2]?.lastError ?? '', /dependency .* failed/);
      await store.queue.enqueue([action('a')]);
      assert.deepEqual(
        (await store.queue.rows([FP('a')])).map((r) => [r.state, r.attempts]),
        [['ready', 0]],
        'a failed action asked for again is ready again',
      );
    });

    it('returns an expired lease to the queue, counting the attempt; the old owner can no longer commit', async () => {
      await store.queue.enqueue([action('a')]);
      const short: LeaseTimes = { leaseSeconds: 0.5, backoffSeconds: 0 };
      await store.queue.claim('dead', short);
      assert.equal(await store.queue.resetExpired(short), 0, 'not expired yet');
      await sleep(700);
      assert.equal(await store.queue.resetExpired(short), 1);
      const [row] = await store.queue.rows([FP('a')]);
      assert.deepEqual([row?.state, row?.attempts], ['ready', 1]);
      assert.match(row?.lastError ?? '', /lease of dead expired/);
      assert.equal(await store.queue.heartbeat(FP('a'), 'dead', TIMES), false);
      const again = await store.queue.claim('alive', TIMES);
      assert.equal(again?.attempts, 2);
      await assert.rejects(finish(FP('a'), 'dead'), LeaseLostError);
      await finish(FP('a'), 'alive');
    });

    it('release hands a lease back at once without counting the attempt', async () => {
      await store.queue.enqueue([action('a')]);
      await store.queue.claim('w', TIMES);
      assert.equal(await store.queue.release(FP('a'), 'other'), false);
      assert.equal(await store.queue.release(FP('a'), 'w'), true);
      assert.equal((await store.queue.claim('w2', TIMES))?.attempts, 1);
    });

    it('asks for a done action anew when it is enqueued again', async () => {
      await store.queue.enqueue([action('a')]);
      await store.queue.claim('w', TIMES);
      await finish(FP('a'), 'w');
      await store.queue.enqueue([action('a')]);
      assert.deepEqual(
        (await store.queue.rows()).map((r) => [r.state, r.attempts]),
        [['ready', 0]],
      );
    });

    it('never hands the same action to two stores claiming at once', async (ctx) => {
      if (fx.reopen === undefined) return ctx.skip('the ledger cannot be reopened');
      const other = await fx.reopen();
      try {
        const names = Array.from({ length: 30 }, (_, i) => `n${i}`);
        await store.queue.enqueue(names.map((n) => action(n)));
        const got: string[] = [];
        const drain = async (s: LedgerStore, owner: string) => {
          for (let c = await s.queue.claim(owner, TIMES); c !== undefined; c = await s.queue.claim(owner, TIMES))
            got.push(c.fingerprint);
        };
        await Promise.all([drain(store, 'a'), drain(other, 'b'), drain(store, 'c'), drain(other, 'd')]);
        assert.equal(got.length, 30);
        assert.equal(new Set(got).size, 30);
      } finally {
        await other.close();
      }
    });

    it('registers workers with heartbeats, and marks them stopped', async () => {
      await store.queue.registerWorker({
        id: 'w1',
        host: 'h',
        pid: 42,
        concurrency: 2,
        leaseSeconds: 30,
        joinedSeq: 0,
        joinedHash: 'x'.repeat(64),
      });
      await store.queue.workerHeartbeat('w1');
      let [w] = await store.queue.workers();
      assert.deepEqual([w?.id, w?.pid, w?.concurrency, w?.leaseSeconds, w?.stoppedAt], ['w1', 42, 2, 30, null]);
      assert.ok((w?.heartbeatAgeS ?? 99) < 5 && (w?.heartbeatAgeS ?? -1) > -5, `heartbeat age ${w?.heartbeatAgeS}`);
      await store.queue.stopWorker('w1');
      [w] = await store.queue.workers();
      assert.notEqual(w?.stoppedAt, null);
    });
  });
}
