import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../testing/repo-path.js';
import { runFathomOk } from '../testing/run-cli.js';
import { openWorkspace, type Workspace } from '../workspace/open-workspace.js';
import { FathomError } from '../util/fathom-error.js';
import { acceptProposals, pendingReview } from './review-proposals.js';
import { tag } from './tag-workspace.js';
import { applyMetadataFile, exportMetadataFile } from './metadata-as-code.js';

// The review's library functions, called as the dashboard will call them (the CLI's own
// tests, review-cli.test.ts, drive the same functions through `fathom`).
const env = { FATHOM_USER: 'bob' };
let template = '';
before(async () => {
  template = await mkdtemp(join(tmpdir(), 'fathom-review-lib-'));
  await runFathomOk(['explore', repoPath('examples', 'shop'), '-q'], { cwd: template, env });
});
after(async () => {
  if (template && !process.env.FATHOM_KEEP_TMP) await rm(template, { recursive: true, force: true });
});

async function workspace<T>(body: (ws: Workspace, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fathom-review-lib-'));
  await cp(template, dir, { recursive: true });
  const ws = await openWorkspace(dir, { env });
  try {
    return await body(ws, dir);
  } finally {
    await ws.close();
    if (!process.env.FATHOM_KEEP_TMP) await rm(dir, { recursive: true, force: true });
  }
}

test('tag records its decisions with who decided, and refuses a bad one recording nothing', async () => {
  await workspace(async (ws) => {
    const r = await tag(ws, 'customers.churned', { target: true }, { env });
    assert.equal(r.version, 1);
    assert.deepEqual(
      r.changes.map((c) => c.key),
      ['target:shop.customers.churned'],
    );
    const entry = (await (await ws.ledger()).entries({ kind: 'metadata.review', descending: true, limit: 1 }))[0]!;
    assert.equal((entry.detail as { by: string }).by, 'bob');
    await assert.rejects(
      tag(ws, 'customers.country', { timeIndex: true }, { env }),
      (e: unknown) => e instanceof FathomError && /not a date or timestamp/.test(e.message) && e.exitCode === 2,
    );
    assert.equal((await pendingReview(ws)).metadataVersion, 1, 'the refused tag recorded nothing');
  });
});

test('pendingReview lists the undecided least confident first; acceptProposals takes the confident ones', async () => {
  await workspace(async (ws) => {
    const { pending, metadataVersion } = await pendingReview(ws);
    assert.equal(metadataVersion, 0);
    assert.ok(pending.length > 20);
    for (let i = 1; i < pending.length; i++) assert.ok(pending[i - 1]!.confidence <= pending[i]!.confidence);
    const accepted = await acceptProposals(ws, 0.9, { env });
    const left = (await pendingReview(ws)).pending;
    assert.equal(accepted.accepted + accepted.pending, pending.length);
    // The other target candidates count as left, though a confirmed target hides them.
    assert.ok(left.length <= accepted.pending);
    assert.ok(left.every((p) => p.confidence < 0.9));
    const all = await acceptProposals(ws, 0, { env });
    assert.equal(all.pending, 0);
    assert.equal((await pendingReview(ws)).catalog.targets.filter((t) => t.status === 'confirmed').length, 1);
  });
});

test('a metadata file round-trips: exported, checked with dryRun (nothing recorded), applied', async () => {
  await workspace(async (ws, dir) => {
    const file = join(dir, 'metadata.yaml');
    const text = await exportMetadataFile(ws, file);
    assert.equal(await readFile(file, 'utf8'), text);
    const edited = text.replace(/(column: customers\.churned, kind: binary, status: )suggested/, '$1confirmed');
    const dry = await applyMetadataFile(ws, edited, 'metadata.yaml', { dryRun: true, env });
    assert.ok(dry.dryRun && dry.decisions.some((d) => d.fact === 'target' && d.status === 'confirmed'));
    assert.equal((await pendingReview(ws)).metadataVersion, 0, 'a dry run records nothing');
    const warnings: string[] = [];
    const applied = await applyMetadataFile(ws, edited, 'metadata.yaml', { env, warn: (m) => warnings.push(m) });
    assert.ok(!applied.dryRun && applied.version === 1 && applied.changes.length > 0);
    assert.equal(warnings.length, 0);
    await tag(ws, 'customers.plan', { ignore: true }, { env });
    await applyMetadataFile(ws, edited, 'metadata.yaml', { env, warn: (m) => warnings.push(m) });
    assert.deepEqual(warnings, [
      'metadata.yaml was exported at metadata v0; the project is at v2. Its decisions replace newer ones on the same facts.',
    ]);
  });
});
