import { FathomError } from '../util/fathom-error.js';
import { createFileObjectStore, type ObjectStore } from './object-store.js';

/**
 * The object store a location names. A folder now (a shared mount serves many machines:
 * writes are temp file + rename, names are content hashes, so concurrent writers of the same
 * object cannot clash). An S3-compatible bucket fits the same interface (put = PUT of the
 * hash key, get = GET and hash check, has = HEAD) and goes here, behind its URL scheme, and
 * must pass object-store-conformance.ts.
 */
export function openObjectStore(location: string): ObjectStore {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1];
  if (scheme !== undefined) {
    throw new FathomError(
      'usage',
      `object store ${location}: ${scheme}:// stores are not supported yet; only folders are`,
      {
        hint: 'set `objects:` in fathom.yaml to a folder every worker can reach (e.g. a shared mount of the bucket)',
      },
    );
  }
  return createFileObjectStore(location);
}
