import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder, removed after the test unless FATHOM_KEEP_TMP is set. */
export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `fathom-${prefix}-`));
  try {
    return await body(dir);
  } finally {
    if (!process.env.FATHOM_KEEP_TMP) await rm(dir, { recursive: true, force: true });
  }
}
