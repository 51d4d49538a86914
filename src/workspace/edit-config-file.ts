import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { atomicWrite } from '../util/atomic-write.js';
import { CONFIG_FILE } from './resolve-config.js';
import { configSchema } from './config.js';
import { FathomError } from '../util/fathom-error.js';

/**
 * Set one value in fathom.yaml, keeping the user's comments and layout, validating the result
 * before it is written (atomically), so a bad edit never leaves a broken file behind.
 */
export async function setConfigValue(root: string, path: readonly string[], value: unknown): Promise<void> {
  const file = join(root, CONFIG_FILE);
  const doc = parseDocument(await readFile(file, 'utf8'));
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, doc.createNode(value));
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FathomError('bad_input', `refusing to write ${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  await atomicWrite(file, doc.toString());
}
