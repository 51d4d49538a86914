import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveConfig, readConfigFile } from './resolve-config.js';
import { initWorkspace } from './init-workspace.js';
import { setConfigValue } from './edit-config-file.js';
import { findProjectRoot } from './open-workspace.js';
import { withTempDir } from '../testing/temp-dir.js';
import { FathomError } from '../util/fathom-error.js';

test('layers resolve in order defaults < file < env < flags, into a frozen object', () => {
  const file = { project: 'p', engine: { threads: 1, memoryLimit: '1GB' } };
  const cfg = resolveConfig('/x', file, { FATHOM_THREADS: '3', FATHOM_MEMORY_LIMIT: '2GB' }, { threads: 4 });
  assert.equal(cfg.project, 'p');
  assert.equal(cfg.engine.threads, 4, 'flag wins over env and file');
  assert.equal(cfg.engine.memoryLimit, '2GB', 'env wins over file');
  assert.equal(cfg.metadata.path, '.fathom/ledger.db', 'default kept');
  assert.equal(cfg.explore.sampleRows, 100_000);
  assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.engine));
  assert.throws(() => {
    (cfg.engine as { threads?: number }).threads = 9;
  }, TypeError);
});

test('a bad field names the file and the field', () => {
  assert.throws(
    () => resolveConfig('/proj', { sources: { s: { kind: 'ftp', location: 'x' } } }),
    (err: unknown) =>
      err instanceof FathomError && /fathom\.yaml: sources\.s\.kind/.test(err.message) && err.exitCode === 2,
  );
  assert.throws(
    () => resolveConfig('/proj', {}, { FATHOM_THREADS: 'many' }),
    /FATHOM_THREADS must be a positive integer/,
  );
});

test('a misspelt key is an error naming the file, the section and the key, not silently ignored', () => {
  // Ignored, `pth` would put the ledger at the default path without a word.
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ metadata: { pth: '/shared/ledger.db' } }, /fathom\.yaml: metadata: .*"pth"/],
    [{ soruces: {} }, /fathom\.yaml: \(top level\): .*"soruces"/],
    [
      { sources: { s: { kind: 'files', location: 'x', credentail: 'vault:k' } } },
      /fathom\.yaml: sources\.s: .*"credentail"/,
    ],
  ];
  for (const [file, message] of cases) {
    assert.throws(
      () => resolveConfig('/proj', file),
      (err: unknown) => err instanceof FathomError && message.test(err.message) && err.exitCode === 2,
    );
  }
  const options = { sources: { s: { kind: 'files', location: 'x', options: { anything: 1 } } } };
  assert.deepEqual(resolveConfig('/proj', options).sources.s?.options, { anything: 1 }, 'options stay open');
});

test('init creates the project idempotently and the config file parses; YAML errors name the line', async () => {
  await withTempDir('init', async (dir) => {
    const first = await initWorkspace(join(dir, 'proj'));
    assert.equal(first.created, true);
    const again = await initWorkspace(join(dir, 'proj'));
    assert.equal(again.created, false);
    const cfg = resolveConfig(first.root, await readConfigFile(first.root));
    assert.equal(cfg.project, 'proj');
    assert.equal(findProjectRoot(join(first.root, '.fathom', 'objects')), first.root);
    await writeFile(join(first.root, 'fathom.yaml'), 'version: 1\nsources: [\n');
    await assert.rejects(readConfigFile(first.root), /fathom\.yaml:\d+: invalid YAML/);
  });
});

test('setConfigValue keeps comments and refuses an invalid result without writing', async () => {
  await withTempDir('edit', async (dir) => {
    const { root, configFile } = await initWorkspace(dir);
    await setConfigValue(root, ['sources', 'shop'], { kind: 'files', location: 'data' });
    const text = await readFile(configFile, 'utf8');
    assert.match(text, /# Fathom project/);
    assert.deepEqual(resolveConfig(root, await readConfigFile(root)).sources.shop, { kind: 'files', location: 'data' });
    await assert.rejects(
      setConfigValue(root, ['sources', 'bad'], { kind: 'nope', location: 'x' }),
      /refusing to write/,
    );
    assert.equal(await readFile(configFile, 'utf8'), text, 'file unchanged after a refused edit');
  });
});
