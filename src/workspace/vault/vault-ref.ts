import type { VaultRef } from './vault.js';
import { FathomError, badInput } from '../../util/fathom-error.js';

const PREFIX = 'vault:';

/**
 * The secret name a reference points to. Accepts `vault:name` or a bare name; any printable
 * characters are allowed (spaces, quotes, slashes, unicode), control characters are not,
 * because names end up in terminal output and YAML.
 */
export function vaultName(refOrName: string): string {
  const name = refOrName.startsWith(PREFIX) ? refOrName.slice(PREFIX.length) : refOrName;
  if (name.length === 0) {
    throw badInput(`Vault reference "${refOrName}" has an empty name`, 'Use a name such as vault:shop-db.');
  }
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw badInput(`Vault name ${JSON.stringify(name)} contains a control character`, 'Use printable characters only.');
  }
  return name;
}

export function vaultRef(name: string): VaultRef {
  return `${PREFIX}${vaultName(name)}`;
}

export function missingSecret(name: string, where: string): FathomError {
  return new FathomError('not_found', `No secret ${vaultRef(name)} in ${where}`, {
    hint: `Store it first (fathom vault set ${JSON.stringify(name)}), or fix the reference.`,
  });
}
