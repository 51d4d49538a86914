import { hashJson } from '../util/hash.js';

export interface FingerprintParts {
  readonly kind: string;
  readonly version: string;
  readonly params: unknown;
  /** In the order the action receives them: order can change what it computes. */
  readonly inputs: readonly string[];
  readonly metadataVersion?: number | null;
}

/**
 * An action's identity: equal fingerprints mean the same work on the same data under the
 * same metadata, so an existing output can be reused. Canonical JSON makes it independent
 * of the order params' keys were built in; a missing metadata version hashes as null.
 */
export function actionFingerprint(parts: FingerprintParts): string {
  return hashJson({
    kind: parts.kind,
    version: parts.version,
    params: parts.params ?? null,
    inputs: parts.inputs,
    metadataVersion: parts.metadataVersion ?? null,
  });
}
