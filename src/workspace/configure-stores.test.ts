import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathom } from '../testing/run-cli.js';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../testing/postgres-url.js';
import { dropSchema } from '../ledger/postgres/postgres-test-ledger.fixture.js';
import { FathomError } from '../util/fathom-error.js';
import { configureStores, METADATA_SECRET } from './configure-stores.js';
import { initWorkspace } from './init-workspace.js';
import { openWorkspace } from './open-workspace.js';
import { readConfigFile, resolveConfig } from './resolve-config.js';
import { setConfigValue } from './edit-config-file.js';

const KEY = { FATHOM_MASTER_KEY: 'ab'.repeat(32) };
const stdin = () => Object.assign(new PassThrough(), { isTTY: false });

describe('metadata and object store configuration', () => {
  it('moves a password in --metadata into the vault: fathom.yaml and the output never hold it', async () => {
    await withTempDir('init-meta', async (dir) => {
      const root = join(dir, 'proj');
      await initWorkspace(root);
      await configureStores(
        root,
        { env: KEY, cwd: dir, stdin: stdin() },
        { metadata: 'postgres://meta:S3cr%40t-pw@db.example:5433/fathom', objects: 'shared/objects' },
      );
      const yaml = await readFile(join(root, 'fathom.yaml'), 'utf8');
      assert.doesNotMatch(yaml, /S3cr/);
      const config = resolveConfig(root, await readConfigFile(root));
      assert.deepEqual(config.metadata, {
        store: 'postgres',
        path: '.fathom/ledger.db',
        url: 'postgres://meta@db.example:5433/fathom',
        credential: `vault:${METADATA_SECRET}`,
      });
      assert.equal(config.objects.path, join(dir, 'shared', 'objects'));
      const ws = await openWorkspace(root, { env: KEY });
      try {
        assert.equal(await (await ws.vault(stdin())).get(`vault:${METADATA_SECRET}`), 'S3cr@t-pw');
      } finally {
        await ws.close();
      }
    });
  });

  it('accepts the short forms `metadata: postgres://…` and `objects: /path`, and refuses a password in fathom.yaml', () => {
    const config = resolveConfig('/p', { metadata: 'postgres://u@h:5432/d', objects: '/mnt/shared' });
    assert.deepEqual(
      [config.metadata.store, config.metadata.url, config.objects.path],
      ['postgres', 'postgres://u@h:5432/d', '/mnt/shared'],
    );
    assert.equal(resolveConfig('/p', { metadata: 'other.db' }).metadata.path, 'other.db');
    assert.throws(
      () => resolveConfig('/p', { metadata: { store: 'postgres', url: 'postgres://u:pw@h/d' } }),
      (e: unknown) =>
        e instanceof FathomError &&
        /metadata\.url: must not contain a password/.test(e.message) &&
        !e.message.includes('pw@'),
    );
    assert.throws(
      () => resolveConfig('/p', { metadata: { store: 'postgres' } }),
      /metadata\.url: store: postgres needs url/,
    );
  });

  it('says plainly that a bucket URL is not supported yet', async () => {
    await withTempDir('objects-s3', async (dir) => {
      await initWorkspace(dir);
      await setConfigValue(dir, ['objects'], 's3://bucket/prefix');
      const ws = await openWorkspace(dir, { env: {} });
      try {
        assert.equal(ws.paths.objects, 's3://bucket/prefix');
        await assert.rejects(
          ws.objects(),
          (e: unknown) =>
            e instanceof FathomError && e.kind === 'usage' && /s3:\/\/ stores are not supported yet/.test(e.message),
        );
      } finally {
        await ws.close();
      }
    });
  });

  const url = postgresTestUrl();
  it(
    'opens the Postgres ledger the config names, with the password from the vault',
    { skip: url === undefined ? POSTGRES_SKIP_REASON : false },
    async () => {
      await withTempDir('init-pg', async (dir) => {
        const schema = `fathom_t_${randomBytes(6).toString('hex')}`;
        const withPassword = new URL(url!);
        withPassword.password = 'any-password-trust-auth';
        await initWorkspace(dir);
        await configureStores(dir, { env: KEY, cwd: dir, stdin: stdin() }, { metadata: withPassword.toString() });
        await setConfigValue(dir, ['metadata', 'schema'], schema);
        try {
          const status = await runFathom(['status', '--json'], { cwd: dir, env: KEY });
          assert.equal(status.code, 0, status.stderr);
          assert.match(status.json().metadata, new RegExp(`schema ${schema}`));
          assert.doesNotMatch(status.stdout + status.stderr, /any-password/);
        } finally {
          await dropSchema({ url: url!, schema });
        }
      });
    },
  );
});
