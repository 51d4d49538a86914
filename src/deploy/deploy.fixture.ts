import { repoPath } from '../testing/repo-path.js';
import { runFathomOk } from '../testing/run-cli.js';

/** A fixed master key for tests that need the vault (serving tokens). Never a real secret. */
export const TEST_MASTER_KEY = 'a'.repeat(64);

/**
 * Build, in `dir`, a project with the shop demo explored, reviewed (everything accepted, the
 * leaking cancellation_reason ignored), its feature matrix built, and churn trained on it and
 * registered as customers.churned@1 (a candidate). With `promote`, it is also in production.
 * About 15 s; a small GBDT-only budget keeps the model deterministic.
 */
export async function trainedShop(
  dir: string,
  options: { promote?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<{ env: NodeJS.ProcessEnv }> {
  const env = { FATHOM_MASTER_KEY: TEST_MASTER_KEY, FATHOM_USER: 'tester', ...options.env };
  const fathom = (...args: string[]) => runFathomOk(args, { cwd: dir, env });
  await fathom('explore', repoPath('examples/shop'), '-q');
  await fathom('review', '--yes', '-q');
  await fathom('tag', 'customers.cancellation_reason', '--ignore', '-q');
  await fathom('features', '-q');
  await fathom('train', '--budget-units', '20000000', '--models', 'gbdt', '--seed', '1', '-q');
  if (options.promote) await fathom('promote', 'customers.churned@1', 'production', '--yes', '-q');
  return { env };
}
