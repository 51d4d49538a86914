import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private, throwaway Postgres server for tests that stop or restart it (other tests share
 * the FATHOM_TEST_PG_URL server and must not see that). Debian's binaries, loopback only, a
 * free port, a temp data folder; run as user postgres when the tests run as root, since
 * initdb refuses root (as scripts/pg-test-server.sh does).
 */
export interface PrivatePostgres {
  readonly url: string;
  restart(): void;
  stop(): void;
}

export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(base, versions[0], 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (bin === undefined)
    throw new Error('Postgres server binaries not found under /usr/lib/postgresql; apt-get install -y postgresql');
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'fathom-private-pg-'));
  const data = join(dir, 'data');
  const pgUid = root ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : undefined;
  const pgGid = root ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : undefined;
  if (pgUid !== undefined && pgGid !== undefined) chownSync(dir, pgUid, pgGid);
  // execFileSync with uid/gid runs the binaries as postgres without a shell.
  const run = (cmd: string, args: string[]) =>
    execFileSync(join(bin, cmd), args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(pgUid === undefined ? {} : { uid: pgUid, gid: pgGid }),
    });
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const ctl = (...args: string[]) => run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'server.log'), ...args]);
  ctl('-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, 'start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => ctl('-m', 'fast', 'restart'),
    stop: () => {
      try {
        ctl('-m', 'immediate', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
