import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openSqliteLedger } from '../ledger/sqlite/sqlite-ledger-store.js';
import { createFileObjectStore, type FileObjectStore } from '../ledger/object-store.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { ActionKind } from './action-kind.js';
import {
  ACTIONS,
  runAction,
  SUBJECTS,
  subjectKey,
  type ActionRecord,
  type RunContext,
  type SubjectRecord,
} from './run-action.js';
import { DeadlineReached } from './deadline.js';

/** A kind that counts its runs and fails while `failures` is positive. */
function counting(failures = 0): ActionKind<{ n: number }, { doubled: number; at?: Date }> & { calls: number } {
  const kind = {
    kind: 'test.double',
    version: '1',
    calls: 0,
    async run(_ctx: unknown, params: { n: number }) {
      kind.calls += 1;
      if (failures-- > 0) throw new Error(`no luck with ${params.n}`);
      return { doubled: params.n * 2, at: new Date('2024-05-06T07:08:09Z') };
    },
  };
  return kind;
}

describe('runAction', () => {
  let dir: string;
  let ledger: LedgerStore;
  let objects: FileObjectStore;
  let ctx: RunContext;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fathom-run-'));
    ledger = await openSqliteLedger(join(dir, 'ledger.db'));
    objects = createFileObjectStore(join(dir, 'objects'));
    ctx = { ledger, objects, workerId: 'w1', metadataVersion: 1 };
  });
  afterEach(async () => {
    assert.equal((await ledger.verify()).ok, true, 'every test leaves a ledger that verifies');
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  });

  const statuses = async (): Promise<string[]> => (await ledger.entries()).map((e) => e.status);

  it('runs once, then reuses the output naming the entry that produced it', async () => {
    const kind = counting();
    const first = await runAction(ctx, kind, { n: 21 }, [{ fingerprint: 'src1' }]);
    const second = await runAction(ctx, kind, { n: 21 }, [{ fingerprint: 'src1' }]);
    assert.equal(kind.calls, 1);
    assert.deepEqual([first.reused, second.reused], [false, true]);
    assert.deepEqual(first.value, { doubled: 42, at: '2024-05-06T07:08:09.000Z' });
    assert.deepEqual(second.value, first.value);
    assert.equal(second.output, first.output);
    assert.equal(second.fingerprint, first.fingerprint);
    assert.deepEqual(await statuses(), ['started', 'succeeded', 'reused']);
    const reused = (await ledger.entries({ status: 'reused' }))[0];
    assert.equal((reused?.detail as { reusedSeq: number }).reusedSeq, first.seq);
    assert.deepEqual(
      [reused?.fingerprint, reused?.output, reused?.inputs],
      [first.fingerprint, first.output, ['src1']],
    );
    const rec = await ledger.getState<ActionRecord>(ACTIONS, first.fingerprint);
    assert.deepEqual([rec?.value.status, rec?.value.output, rec?.seq], ['succeeded', first.output, first.seq]);
  });

  it('runs again when params, inputs or the metadata version change', async () => {
    const kind = counting();
    const a = await runAction(ctx, kind, { n: 1 });
    const b = await runAction(ctx, kind, { n: 2 });
    const c = await runAction(ctx, kind, { n: 1 }, [{ fingerprint: 'other-data' }]);
    const d = await runAction({ ...ctx, metadataVersion: 2 }, kind, { n: 1 });
    assert.equal(kind.calls, 4);
    assert.equal(new Set([a, b, c, d].map((r) => r.fingerprint)).size, 4);
    assert.ok([a, b, c, d].every((r) => !r.reused));
  });

  it('records a failure with its message, rethrows it, and a retry then succeeds', async () => {
    const kind = counting(1);
    await assert.rejects(runAction(ctx, kind, { n: 5 }), /no luck with 5/);
    const [failed] = await ledger.entries({ status: 'failed' });
    assert.equal(failed?.error, 'no luck with 5');
    const rec = await ledger.getState<ActionRecord>(ACTIONS, failed?.fingerprint ?? '');
    assert.deepEqual([rec?.value.status, rec?.value.error], ['failed', 'no luck with 5']);

    const retry = await runAction(ctx, kind, { n: 5 });
    assert.deepEqual([retry.reused, retry.value.doubled, kind.calls], [false, 10, 2]);
    assert.deepEqual(await statuses(), ['started', 'failed', 'started', 'succeeded']);
  });

  it('turns a non-Error throw into an Error and records its text', async () => {
    const kind: ActionKind = { kind: 'test.throws', version: '1', run: () => Promise.reject('plain string') };
    await assert.rejects(
      runAction(ctx, kind, null),
      (e: unknown) => e instanceof Error && e.message === 'plain string',
    );
    assert.equal((await ledger.entries({ status: 'failed' }))[0]?.error, 'plain string');
  });

  it('recomputes when the output object was deleted or corrupted', async () => {
    const kind = counting();
    const first = await runAction(ctx, kind, { n: 3 });
    await unlink(objects.path(first.output));
    const second = await runAction(ctx, kind, { n: 3 });
    assert.deepEqual([second.reused, second.output, kind.calls], [false, first.output, 2]);
    await writeFile(objects.path(first.output), 'garbage');
    const third = await runAction(ctx, kind, { n: 3 });
    assert.deepEqual([third.reused, kind.calls], [false, 3]);
    assert.deepEqual(await objects.getJson(first.output), third.value);
    assert.equal((await runAction(ctx, kind, { n: 3 })).reused, true);
  });

  it('stores byte outputs as bytes and gives them back as bytes on reuse', async () => {
    const kind: ActionKind<null, Uint8Array> = {
      kind: 'test.bytes',
      version: '1',
      run: async () => new Uint8Array([9, 8, 7]),
    };
    const first = await runAction(ctx, kind, null);
    const second = await runAction(ctx, kind, null);
    assert.equal(second.reused, true);
    assert.deepEqual(new Uint8Array(second.value), new Uint8Array([9, 8, 7]));
    assert.deepEqual(new Uint8Array(await objects.get(first.output)), new Uint8Array([9, 8, 7]));
  });

  it('records an output that cannot be stored as a failure', async () => {
    const kind: ActionKind<null, number> = { kind: 'test.nan', version: '1', run: async () => Number.NaN };
    await assert.rejects(runAction(ctx, kind, null), /non-finite/);
    assert.deepEqual(await statuses(), ['started', 'failed']);
  });

  // A source-like kind: its output depends only on the data (the input fingerprint), and its
  // project hook points the `sources` collection at the output it describes.
  const describeData: ActionKind<{ name: string }, { data: string }> = {
    kind: 'test.describe',
    version: '1',
    run: async (_ctx, _params, inputs) => ({ data: inputs[0]!.fingerprint }),
    project: (value, params) => [{ collection: 'sources', key: params.name, value }],
  };

  it('applies the project hook on succeeded and reused runs: data A -> B -> A points back at A', async () => {
    const a1 = await runAction(ctx, describeData, { name: 's' }, [{ fingerprint: 'data-A' }]);
    const b = await runAction(ctx, describeData, { name: 's' }, [{ fingerprint: 'data-B' }]);
    assert.deepEqual((await ledger.getState('sources', 's'))?.value, { data: 'data-B' });
    const a2 = await runAction(ctx, describeData, { name: 's' }, [{ fingerprint: 'data-A' }]);
    assert.deepEqual([a1.reused, b.reused, a2.reused], [false, false, true]);
    assert.equal(a2.output, a1.output);
    assert.deepEqual(await ledger.getState('sources', 's'), { key: 's', value: { data: 'data-A' }, seq: a2.seq });
    await ledger.rebuildProjections();
    assert.deepEqual((await ledger.getState('sources', 's'))?.value, { data: 'data-A' }, 'replay agrees');
  });

  it('reuses the right output after the projection was rebuilt from the log', async () => {
    const kind = counting();
    const first = await runAction(ctx, kind, { n: 4 });
    await runAction(ctx, kind, { n: 5 });
    await ledger.rebuildProjections();
    const again = await runAction(ctx, kind, { n: 4 });
    assert.deepEqual([again.reused, again.output, again.value.doubled, kind.calls], [true, first.output, 8, 2]);
    const reused = (await ledger.entries({ status: 'reused' }))[0];
    assert.equal((reused?.detail as { reusedSeq: number }).reusedSeq, first.seq);
  });

  it("runs again, never reuses, an action left 'started' by a process that crashed", async () => {
    const kind = counting();
    const fp = (await runAction(ctx, kind, { n: 6 })).fingerprint;
    // What a crashed run leaves behind: its 'started' entry and record, nothing after.
    const rec: ActionRecord = {
      kind: kind.kind,
      version: '1',
      status: 'started',
      output: null,
      encoding: null,
      error: null,
      workerId: 'w0',
    };
    await ledger.append({
      kind: kind.kind,
      status: 'started',
      fingerprint: fp,
      workerId: 'w0',
      patches: [{ collection: ACTIONS, key: fp, value: rec }],
    });
    const after = await runAction(ctx, kind, { n: 6 });
    assert.deepEqual([after.reused, after.value.doubled, kind.calls], [false, 12, 2]);
    assert.equal((await ledger.getState<ActionRecord>(ACTIONS, fp))?.value.status, 'succeeded');
  });

  it('records a failure when the project hook throws or returns a bad patch, instead of leaving it started', async () => {
    const throwing: ActionKind<null, number> = {
      kind: 'test.project-throws',
      version: '1',
      run: async () => 1,
      project: () => {
        throw new Error('cannot project');
      },
    };
    await assert.rejects(runAction(ctx, throwing, null), /cannot project/);
    const badPatch: ActionKind<null, number> = {
      ...throwing,
      kind: 'test.bad-patch',
      project: () => [{ collection: '', key: 'k', value: 1 }],
    };
    await assert.rejects(runAction(ctx, badPatch, null), /patch with collection ''/);
    assert.deepEqual(await statuses(), ['started', 'failed', 'started', 'failed']);
    const failed = await ledger.entries({ status: 'failed' });
    assert.match(failed[0]?.error ?? '', /cannot project/);
  });

  it('records what a subject last computed, on success and on reuse, for the planner to compare', async () => {
    const kind = { ...counting(), subject: (p: { n: number }) => `n${p.n % 10}` };
    const first = await runAction(ctx, kind, { n: 21 }, [{ fingerprint: 'src1' }]);
    const row = await ledger.getState<SubjectRecord>(SUBJECTS, subjectKey('test.double', 'n1'));
    assert.deepEqual(
      [row?.value.fingerprint, row?.value.inputs, row?.value.metadataVersion, row?.seq],
      [first.fingerprint, ['src1'], 1, first.seq],
    );
    // The same subject on other data: the row now names the new action.
    const second = await runAction(ctx, kind, { n: 31 }, [{ fingerprint: 'src2' }]);
    const after = await ledger.getState<SubjectRecord>(SUBJECTS, subjectKey('test.double', 'n1'));
    assert.deepEqual([after?.value.fingerprint, after?.value.inputs], [second.fingerprint, ['src2']]);
    assert.notEqual(after?.value.params, row?.value.params, 'the params digest changed with n');
    const reused = await runAction(ctx, kind, { n: 21 }, [{ fingerprint: 'src1' }]);
    assert.equal(reused.reused, true);
    const back = await ledger.getState<SubjectRecord>(SUBJECTS, subjectKey('test.double', 'n1'));
    assert.deepEqual([back?.value.fingerprint, back?.seq], [first.fingerprint, reused.seq]);
  });

  it('hands the stop time to the action; a run stopped there is recorded failed and marked stopped', async () => {
    let seen: number | null = -1;
    const kind: ActionKind<{ n: number }, number> = {
      kind: 'test.budget',
      version: '1',
      async run(actx) {
        seen = actx.stopAt;
        throw new DeadlineReached('test.budget', 12);
      },
    };
    await assert.rejects(runAction({ ...ctx, stopAt: 1234 }, kind, { n: 1 }), DeadlineReached);
    assert.equal(seen, 1234);
    const rows = await ledger.listState<ActionRecord>(ACTIONS);
    assert.deepEqual(
      rows.map((r) => [r.value.status, r.value.stopped, /deadline after 12 ms/.test(r.value.error ?? '')]),
      [['failed', true, true]],
    );
    const failed = (await ledger.entries({ status: 'failed' }))[0];
    assert.equal((failed?.detail as { stopped?: boolean }).stopped, true);
  });
});
