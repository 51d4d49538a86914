import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../util/atomic-write.js';
import { canonicalJson, sha256 } from '../util/hash.js';
import { badInput, FathomError, toError } from '../util/fathom-error.js';

/**
 * Content-addressed storage for action outputs: an object's name is the sha256 of its bytes,
 * so writing the same output twice is harmless (at-least-once execution stays effectively
 * once) and every read can check what it got. A folder now; an S3-compatible bucket later.
 */
export interface ObjectStore {
  /** Store bytes (a string is stored as UTF-8); returns the sha256 hex. Idempotent. */
  put(data: Uint8Array | string): Promise<string>;
  /** The bytes, checked against the hash: not_found if absent, integrity if corrupt. */
  get(hash: string): Promise<Uint8Array>;
  /** Whether an object of that name exists; does not read or check it. */
  has(hash: string): Promise<boolean>;
  /** Store canonical JSON, so equal values get equal hashes whatever their key order. */
  putJson(value: unknown): Promise<string>;
  getJson<T = unknown>(hash: string): Promise<T>;
}

export interface FileObjectStore extends ObjectStore {
  readonly dir: string;
  /** Where the object lives (it need not exist): `<dir>/<sha256>`. */
  path(hash: string): string;
}

const HASH = /^[0-9a-f]{64}$/;

export function createFileObjectStore(dir: string): FileObjectStore {
  const path = (hash: string): string => {
    // Also what keeps a caller-supplied name from escaping the folder.
    if (!HASH.test(hash))
      throw badInput(`'${hash}' is not an object hash`, 'object hashes are 64 lowercase hex digits (sha256)');
    return join(dir, hash);
  };

  const readChecked = async (hash: string): Promise<Buffer | undefined> => {
    const file = path(hash);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (thrown) {
      if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new FathomError('failed', `cannot read object ${hash} at ${file}: ${toError(thrown).message}`, {
        cause: thrown,
      });
    }
    const actual = sha256(bytes);
    if (actual !== hash) {
      throw new FathomError('integrity', `object ${hash} is corrupt: its content hashes to ${actual}`, {
        hint: `delete ${file}; the action that produced it will run again`,
        context: { file },
      });
    }
    return bytes;
  };

  const store: FileObjectStore = {
    dir,
    path,
    async put(data) {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const hash = sha256(bytes);
      try {
        if ((await readChecked(hash)) !== undefined) return hash;
      } catch (err) {
        // A corrupt copy is repaired by writing the good bytes over it.
        if (!(err instanceof FathomError && err.kind === 'integrity')) throw err;
      }
      await atomicWrite(path(hash), bytes);
      return hash;
    },
    async get(hash) {
      const bytes = await readChecked(hash);
      if (bytes === undefined) {
        throw new FathomError('not_found', `object ${hash} is not in ${dir}`, {
          hint: 'it may have been deleted; the action that produced it will run again',
        });
      }
      return bytes;
    },
    async has(hash) {
      const file = path(hash);
      try {
        await access(file);
        return true;
      } catch {
        return false;
      }
    },
    putJson: (value) => store.put(canonicalJson(value)),
    async getJson<T>(hash: string): Promise<T> {
      const text = Buffer.from(await store.get(hash)).toString('utf8');
      try {
        return JSON.parse(text) as T;
      } catch (thrown) {
        throw new FathomError('failed', `object ${hash} is not JSON: ${toError(thrown).message}`, { cause: thrown });
      }
    },
  };
  return store;
}
