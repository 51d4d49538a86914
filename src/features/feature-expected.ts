/**
 * What every synthesized feature of the fixture should be, computed independently of the
 * feature compiler: aggregates by correlated subqueries written here in plain DuckDB SQL over
 * the fixture's CSV files (read with declared types, no detection), and row transforms (date
 * parts, text, ratios, a parent's values) in JS from the fixture rows themselves. Each feature
 * is keyed by the name synthesis must give it, so a missing, extra or misnamed feature fails too.
 */
import { join } from 'node:path';
import type { Row, SqlValue } from '../engine/engine.js';
import { openEngine } from '../engine/open-engine.js';
import { fixtureTables, type FixtureTable, type FixtureType } from './feature-fixture.js';

export type ExpectedCutoff = { readonly kind: 'fixed'; readonly at: string } | { readonly kind: 'column'; readonly column: string };

export interface ExpectedOptions {
  readonly cutoff: ExpectedCutoff;
  readonly windowDays: number | null;
}

const DUCK_TYPE: Record<FixtureType, string> = { int: 'BIGINT', float: 'DOUBLE', text: 'VARCHAR', bool: 'BOOLEAN', timestamp: 'TIMESTAMP' };
const DAY_MS = 86_400_000;
const ms = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);

/** Row-level expectations, computed in JS: name -> value for one account row. */
type RowRule = readonly [string, (a: Record<string, any>, cut: number) => SqlValue];

function rowRules(plans: ReadonlyMap<number, Record<string, any>>, cutoff: ExpectedCutoff): RowRule[] {
  const dateParts = (c: string): RowRule[] => {
    const d = (a: Record<string, any>) => (a[c] === null ? null : new Date(ms(a[c])));
    const rules: RowRule[] = [
      [`YEAR(${c})`, (a) => d(a)?.getUTCFullYear() ?? null],
      [`MONTH(${c})`, (a) => (d(a) ? d(a)!.getUTCMonth() + 1 : null)],
      [`DAY(${c})`, (a) => d(a)?.getUTCDate() ?? null],
      [`HOUR(${c})`, (a) => d(a)?.getUTCHours() ?? null],
      [`DAY_OF_WEEK(${c})`, (a) => (d(a) ? String(d(a)!.getUTCDay()) : null)],
      [`IS_WEEKEND(${c})`, (a) => (d(a) ? [0, 6].includes(d(a)!.getUTCDay()) : null)],
    ];
    // Time since the cutoff column itself is always 0, so synthesis leaves it out.
    if (!(cutoff.kind === 'column' && cutoff.column === c)) rules.push([`TIME_SINCE(${c})`, (a, cut) => (a[c] === null ? null : (cut - ms(a[c])) / DAY_MS)]);
    return rules;
  };
  const ratio = (x: string, y: string): RowRule => [`RATIO(${x} / ${y})`, (a) => (a[x] === null || a[y] === null || a[y] === 0 ? null : a[x] / a[y])];
  return [
    ['balance', (a) => a.balance],
    ['num_a', (a) => a.num_a],
    ['num_b', (a) => a.num_b],
    ['city', (a) => a.city],
    ['seen_at', (a) => (a.seen_at === null ? null : new Date(ms(a.seen_at)).toISOString())],
    ['observed_at', (a) => new Date(ms(a.observed_at)).toISOString()],
    ['TEXT_LENGTH(bio)', (a) => (a.bio === null ? null : [...(a.bio as string)].length)],
    ['WORD_COUNT(bio)', (a) => (a.bio === null ? null : (a.bio as string).split(/\s+/).filter((w) => w !== '').length)],
    ...dateParts('seen_at'),
    ...dateParts('observed_at'),
    ratio('balance', 'num_a'),
    ratio('balance', 'num_b'),
    ratio('num_a', 'num_b'),
    ['plans.plan_name', (a) => plans.get(a.plan_id)!.plan_name],
    ['plans.fee', (a) => plans.get(a.plan_id)!.fee],
  ];
}

/** Aggregate expectations as correlated subqueries over `acc a` (with its cutoff `a.cut`). */
function aggregateRules(windowDays: number | null): Array<readonly [string, string]> {
  const where = windowDays === null ? ' WHERE events.at < cutoff' : ` WHERE cutoff - ${windowDays} days <= events.at < cutoff`;
  const name = (op: string, inner: string) => `${op}(events${inner === '' ? '' : `.${inner}`}${where})`;
  const scope = `events e WHERE e.account_id = a.id AND e.at < a.cut${windowDays === null ? '' : ` AND e.at >= a.cut - INTERVAL (${windowDays}) DAY`}`;
  const over = (select: string) => `(SELECT ${select} FROM ${scope})`;
  const days = (t: string) => `(date_diff('millisecond', ${t}, a.cut) / ${DAY_MS}.0)`;
  // Least squares written out (centred), not REGR_SLOPE; x in days since the epoch.
  const trend = (y: string) =>
    `(SELECT SUM((x - mx) * (y - my)) / NULLIF(SUM((x - mx) * (x - mx)), 0) FROM (SELECT x, y, AVG(x) OVER () AS mx, AVG(y) OVER () AS my FROM ` +
    `(SELECT date_diff('millisecond', TIMESTAMP '1970-01-01', e.at) / ${DAY_MS}.0 AS x, ${y} AS y FROM ${scope} AND ${y} IS NOT NULL) AS pts) AS centred)`;
  const mode = (v: string) => `(SELECT ${v} FROM ${scope} AND ${v} IS NOT NULL GROUP BY ${v} ORDER BY COUNT(*) DESC, ${v} LIMIT 1)`;
  const numeric = (inner: string, v: string, withTrend: boolean): Array<readonly [string, string]> => [
    [name('SUM', inner), `COALESCE(${over(`SUM(${v})`)}, 0)`],
    [name('MEAN', inner), over(`AVG(${v})`)],
    [name('MIN', inner), over(`MIN(${v})`)],
    [name('MAX', inner), over(`MAX(${v})`)],
    [name('STD', inner), over(`stddev_samp(${v})`)],
    ...(withTrend ? [[name('TREND', inner), trend(v)] as const] : []),
  ];
  const dow = `CAST(dayofweek(e.at) AS VARCHAR)`;
  const items = (agg: string, zero: boolean) => {
    const q = `(SELECT ${agg} FROM items i WHERE i.event_id = e.event_id)`;
    return zero ? `COALESCE(${q}, 0)` : q;
  };
  return [
    [name('COUNT', ''), over('COUNT(*)')],
    [name('TIME_SINCE_LAST', 'at'), over(`${days('MAX(e.at)')}`)],
    [name('TIME_SINCE_FIRST', 'at'), over(`${days('MIN(e.at)')}`)],
    ...numeric('amount', 'e.amount', true),
    [name('MODE', 'kind'), mode('e.kind')],
    [name('NUM_UNIQUE', 'kind'), over('COUNT(DISTINCT e.kind)')],
    [name('PERCENT_TRUE', 'flag'), over('SUM(CASE WHEN e.flag THEN 1 ELSE 0 END) / NULLIF(COUNT(e.flag), 0)')],
    [name('MODE', 'DAY_OF_WEEK(at)'), mode(dow)],
    [name('NUM_UNIQUE', 'DAY_OF_WEEK(at)'), over(`COUNT(DISTINCT ${dow})`)],
    [name('PERCENT_TRUE', 'IS_WEEKEND(at)'), over(`AVG(CASE WHEN dayofweek(e.at) IN (0, 6) THEN 1.0 ELSE 0.0 END)`)],
    ...numeric('COUNT(items)', items('COUNT(*)', true), false),
    ...numeric('SUM(items.price)', items('SUM(i.price)', true), false),
    ...numeric('MEAN(items.price)', items('AVG(i.price)', false), false),
    ...numeric('MIN(items.price)', items('MIN(i.price)', false), false),
    ...numeric('MAX(items.price)', items('MAX(i.price)', false), false),
    ...numeric('STD(items.price)', items('stddev_samp(i.price)', false), false),
  ];
}

const objects = (t: FixtureTable): Array<Record<string, any>> => t.rows.map((r) => Object.fromEntries(t.columns.map(([c], i) => [c, r[i]])));

/** FREQUENCY(city): the share of all accounts with this row's city (NULL for a missing city). */
function frequencyRule(accounts: ReadonlyArray<Record<string, any>>): RowRule {
  return ['FREQUENCY(city)', (a) => (a.city === null ? null : accounts.filter((x) => x.city === a.city).length / accounts.length)];
}

/**
 * The expected matrix (features only, keyed by name, in account id order) for the fixture whose
 * CSV files are in `csvDir`.
 */
export async function expectedMatrix(csvDir: string, options: ExpectedOptions): Promise<{ names: string[]; rows: Row[] }> {
  const tables = fixtureTables();
  const byName = new Map(tables.map((t) => [t.name, t]));
  const accounts = objects(byName.get('accounts')!).sort((x, y) => x.id - y.id);
  const plans = new Map(objects(byName.get('plans')!).map((p) => [p.plan_id as number, p]));
  const rules = [...rowRules(plans, options.cutoff), frequencyRule(accounts)];
  const aggregates = aggregateRules(options.windowDays);

  const duck = await openEngine({ kind: 'duckdb' });
  let aggRows: Row[];
  try {
    const q = duck.dialect.quoteString;
    const ctes = tables.map((t) => {
      const cols = t.columns.map(([c, ty]) => `${q(c)}: ${q(DUCK_TYPE[ty])}`).join(', ');
      return `${t.name} AS (SELECT * FROM read_csv(${q(join(csvDir, `${t.name}.csv`))}, auto_detect=false, header=true, delim=',', quote='"', escape='"', columns={${cols}}))`;
    });
    const cut = options.cutoff.kind === 'fixed' ? `TIMESTAMP ${q(options.cutoff.at)}` : `a.${duck.dialect.quoteIdent(options.cutoff.column)}`;
    ctes.push(`acc AS (SELECT a.*, ${cut} AS cut FROM accounts a)`);
    const select = aggregates.map(([n, sql]) => `${sql} AS ${duck.dialect.quoteIdent(n)}`);
    aggRows = (await duck.query(`WITH ${ctes.join(',\n')}\nSELECT a.id, ${select.join(',\n')} FROM acc a ORDER BY a.id`)).rows;
  } finally {
    await duck.close();
  }
  const rows = accounts.map((a, i) => {
    const cut = options.cutoff.kind === 'fixed' ? ms(options.cutoff.at) : ms(a[options.cutoff.column]);
    const row: Row = {};
    for (const [n, f] of rules) row[n] = f(a, cut);
    for (const [n] of aggregates) row[n] = aggRows[i]![n] ?? null;
    return row;
  });
  return { names: [...rules.map(([n]) => n), ...aggregates.map(([n]) => n)], rows };
}
