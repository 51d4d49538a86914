import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runFathom, runFathomOk, type CliRun } from '../testing/run-cli.js';
import { withTempDir } from '../testing/temp-dir.js';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../testing/postgres-url.js';
import { openPostgresEngine } from '../engine/postgres/postgres-engine.js';

const url = postgresTestUrl();

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

// The test server trusts loopback connections, so any password is accepted: that lets the
// test use a unique secret and still connect for real.
test(
  'a database password never reaches any file the workspace writes, nor any output',
  { ...(url === undefined ? { skip: POSTGRES_SKIP_REASON } : {}) },
  async () => {
    const secret = `Leak-${randomBytes(12).toString('hex')}`;
    const envSecret = `Env-${randomBytes(12).toString('hex')}`;
    const db = `fathom_leak_${randomBytes(4).toString('hex')}`;
    const admin = await openPostgresEngine({ url: url! });
    await admin.exec(`CREATE DATABASE ${db}`);
    const dbUrl = new URL(url!);
    dbUrl.pathname = `/${db}`;
    const withSecret = new URL(dbUrl);
    withSecret.password = secret;
    const target = await openPostgresEngine({ url: dbUrl.toString() });
    try {
      await target.exec(
        `CREATE TABLE customers (id int PRIMARY KEY, email text); INSERT INTO customers VALUES (1, 'a@x.org'), (2, 'b@x.org');`,
      );
      await withTempDir('leak', async (dir) => {
        const env = { FATHOM_MASTER_KEY: randomBytes(32).toString('hex'), PGPASS_TEST: envSecret };
        const runs: CliRun[] = [];
        const run = async (args: string[]) => {
          const r = await runFathomOk(args, { cwd: dir, env });
          runs.push(r);
          return r;
        };
        await run(['init']);
        const connected = await run(['connect', 'crm', withSecret.toString(), '--json']);
        assert.equal(connected.json().source.credential, 'vault:crm');
        assert.deepEqual(
          connected.json().tables.map((t: { name: string }) => t.name),
          ['customers'],
        );
        await run(['connect', 'crm2', dbUrl.toString(), '--password-env', 'PGPASS_TEST', '--json']);
        await run(['explore', '--json']);
        await run(['explore', '--debug']);
        await run(['sources', '--json']);
        await run(['status', '--json']);
        await run(['log', '--json', '-n', '1000']);
        await run(['verify', '--json']);
        // A wrong password is reported without echoing it either.
        const wrong = await runFathom(['connect', 'crm3', 'postgres://nobody:' + secret + '@127.0.0.1:1/x'], {
          cwd: dir,
          env,
        });
        runs.push(wrong);
        assert.notEqual(wrong.code, 0);

        let scanned = 0;
        for await (const file of filesUnder(dir)) {
          const bytes = await readFile(file);
          for (const s of [secret, envSecret]) {
            assert.equal(bytes.includes(Buffer.from(s)), false, `${file} contains the secret`);
            assert.equal(
              bytes.includes(Buffer.from(encodeURIComponent(s))),
              false,
              `${file} contains the URL-encoded secret`,
            );
          }
          scanned++;
        }
        assert.ok(scanned >= 5, `scanned ${scanned} files (ledger, WAL, objects, yaml, vault)`);
        for (const r of runs)
          for (const s of [secret, envSecret])
            assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'output holds the secret');
        const vault = join(dir, '.fathom', 'vault.json');
        assert.equal((await stat(vault)).mode & 0o777, 0o600);
        assert.match(await readFile(join(dir, 'fathom.yaml'), 'utf8'), /credential: vault:crm/);
      });
    } finally {
      await target.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.close();
    }
  },
);
