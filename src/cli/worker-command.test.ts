import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathom } from '../testing/run-cli.js';
import { addWorkersOption } from './commands/worker-options.js';

describe('fathom worker', () => {
  it('joins an empty project, registers, finds nothing with --once and says so as JSON', async () => {
    await withTempDir('worker-cli', async (dir) => {
      assert.equal((await runFathom(['init'], { cwd: dir, env: {} })).code, 0);
      const run = await runFathom(['worker', '--once', '--json'], { cwd: dir, env: { FATHOM_WORKER_ID: 'cli-w' } });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.json(), {
        id: 'cli-w',
        joined: { seq: 0, hash: '0'.repeat(64), projectionChecksum: '0'.repeat(64), verified: 'head' },
        succeeded: 0,
        reused: 0,
        failed: 0,
        lost: 0,
      });
      const status = (await runFathom(['status', '--json'], { cwd: dir, env: {} })).json();
      assert.deepEqual(
        status.queue.workers.map((w: { id: string; state: string }) => [w.id, w.state]),
        [['cli-w', 'stopped']],
      );
    });
  });

  it('rejects bad numbers and an import that cannot load, with exit code 2', async () => {
    await withTempDir('worker-cli-bad', async (dir) => {
      await runFathom(['init'], { cwd: dir, env: {} });
      const lease = await runFathom(['worker', '--lease', '0'], { cwd: dir, env: {} });
      assert.equal(lease.code, 2);
      assert.match(lease.stderr, /--lease must be a positive number of seconds, got "0"/);
      const imp = await runFathom(['worker', '--once', '--import', './missing-kinds.js'], { cwd: dir, env: {} });
      assert.equal(imp.code, 2);
      assert.match(imp.stderr, /cannot import action kinds from \.\/missing-kinds\.js/);
    });
  });
});

describe('--workers option helper', () => {
  it('defaults to 0 (in this process) and takes a positive count', () => {
    const parse = (...args: string[]) =>
      addWorkersOption(new Command('x').exitOverride().configureOutput({ writeErr: () => undefined }))
        .parse(['node', 'x', ...args])
        .opts().workers;
    assert.equal(parse(), 0);
    assert.equal(parse('--workers', '4'), 4);
    assert.equal(parse('--workers', '0'), 0);
    assert.throws(() => parse('--workers', '-2'), /--workers must be a positive integer/);
  });
});
