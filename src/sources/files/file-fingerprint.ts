import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export interface FileFingerprint {
  /** sha256 hex; equal fingerprints mean the same bytes (see `method` for how sure). */
  readonly fingerprint: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** `full`: every byte hashed. `sampled`: size, mtime and 16 windows of 64 KiB. */
  readonly method: 'full' | 'sampled';
}

const WINDOW = 64 * 1024;
const WINDOWS = 16;

/**
 * Files up to this size are hashed whole (sha256 runs at ~1 GB/s, so ~60 ms at the limit).
 * A whole-file hash is exact: a one-byte edit changes it, and `touch` (mtime only) does not,
 * which is what the ledger means by "the data changed".
 */
export const FULL_HASH_LIMIT = 64 * 1024 * 1024;

/**
 * A cheap data fingerprint. Bigger files are sampled: size, mtime and the sha256 of the first
 * and last 64 KiB and 14 windows evenly spaced between. Sampling alone could miss an in-place
 * edit between windows, so for these files mtime counts: a touch makes the file look changed
 * and costs a re-run, which is safer than reusing results computed from different data.
 */
export async function fingerprintFile(
  path: string,
  options: { fullHashLimit?: number } = {},
): Promise<FileFingerprint> {
  const info = await stat(path);
  const size = info.size;
  const limit = options.fullHashLimit ?? FULL_HASH_LIMIT;
  const outer = createHash('sha256').update(`fathom-file-v1\0${size}\0`);
  if (size <= limit) {
    const inner = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) inner.update(chunk as Buffer);
    outer.update(`full\0${inner.digest('hex')}`);
    return { fingerprint: outer.digest('hex'), size, mtimeMs: info.mtimeMs, method: 'full' };
  }
  outer.update(`sampled\0${info.mtimeMs}\0`);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(WINDOW);
    const step = (size - WINDOW) / (WINDOWS - 1);
    for (let i = 0; i < WINDOWS; i++) {
      const position = Math.round(i * step);
      const { bytesRead } = await handle.read(buffer, 0, WINDOW, position);
      outer.update(`${position}\0`).update(createHash('sha256').update(buffer.subarray(0, bytesRead)).digest());
    }
  } finally {
    await handle.close();
  }
  return { fingerprint: outer.digest('hex'), size, mtimeMs: info.mtimeMs, method: 'sampled' };
}
