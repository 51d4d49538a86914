/**
 * The Postgres server tests run against: env FATHOM_TEST_PG_URL (scripts/pg-test-server.sh
 * prints one). Without it Postgres tests skip, unless FATHOM_REQUIRE_PG=1 says they must run,
 * as in CI, where a silent skip would hide a broken setup.
 */
export function postgresTestUrl(): string | undefined {
  const url = process.env['FATHOM_TEST_PG_URL'];
  if (url !== undefined && url !== '') return url;
  if (process.env['FATHOM_REQUIRE_PG'] === '1') {
    throw new Error(
      'FATHOM_REQUIRE_PG=1 but FATHOM_TEST_PG_URL is not set; start a server with scripts/pg-test-server.sh ' +
        'and export FATHOM_TEST_PG_URL=<the URL it prints>',
    );
  }
  return undefined;
}

/** Why Postgres tests were skipped, for node:test's `skip` option. */
export const POSTGRES_SKIP_REASON = 'FATHOM_TEST_PG_URL is not set (start one with scripts/pg-test-server.sh)';
