import { openMemoryVault } from './memory-vault.js';
import { vaultConformance } from './vault-conformance.js';

vaultConformance('memory', async () => openMemoryVault());
