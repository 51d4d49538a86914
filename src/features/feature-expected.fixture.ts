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
import { fixtureTables, type FixtureTable, type FixtureType } from './feature.fixture.js';

export type ExpectedCutoff =
  | { readonly kind: 'fixed'; readonly at: string }
  | { readonly kind: 'column'; readonly column: string }
  | { readonly kind: 'none' };

export interface ExpectedOptions {
  readonly cutoff: ExpectedCutoff;
  readonly windowDays: number | null;
}

const DUCK_TYPE: Record<FixtureType, string> = {
  int: 'BIGINT',
  float: 'DOUBLE',
  text: 'VARCHAR',
  bool: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};
const DAY_MS = 86_400_000;
// A date is its midnight (UTC), as a timestamp.
const ms = (text: string) => Date.parse(text.length === 10 ? `${text}T00:00:00Z` : `${text.replace(' ', 'T')}Z`);

/** Row-level expectations, computed in JS: name -> value for one account row. */
type RowRule = readonly [string, (a: Record<string, any>, cut: number) => SqlValue];

function rowRules(plans: ReadonlyMap<number, Record<string, any>>, cutoff: ExpectedCutoff): RowRule[] {
  const dateParts = (c: string, hour: boolean): RowRule[] => {
    const d = (a: Record<string, any>) => (a[c] === null ? null : new Date(ms(a[c])));
    const rules: RowRule[] = [
      [`YEAR(${c})`, (a) => d(a)?.getUTCFullYear() ?? null],
      [`MONTH(${c})`, (a) => (d(a) ? d(a)!.getUTCMonth() + 1 : null)],
      [`DAY(${c})`, (a) => d(a)?.getUTCDate() ?? null],
      // A date has no hour of day.
      ...(hour ? ([[`HOUR(${c})`, (a) => d(a)?.getUTCHours() ?? null]] as RowRule[]) : []),
      [`DAY_OF_WEEK(${c})`, (a) => (d(a) ? String(d(a)!.getUTCDay()) : null)],
      [`IS_WEEKEND(${c})`, (a) => (d(a) ? [0, 6].includes(d(a)!.getUTCDay()) : null)],
    ];
    // Time since the cutoff column itself is always 0, so synthesis leaves it out; no cutoff, no time since.
    if (cutoff.kind !== 'none' && !(cutoff.kind === 'column' && cutoff.column === c))
      rules.push([`TIME_SINCE(${c})`, (a, cut) => (a[c] === null ? null : (cut - ms(a[c])) / DAY_MS)]);
    return rules;
  };
  const ratio = (x: string, y: string): RowRule => [
    `RATIO(${x} / ${y})`,
    (a) => (a[x] === null || a[y] === null || a[y] === 0 ? null : a[x] / a[y]),
  ];
  return [
    ['balance', (a) => a.balance],
    ['num_a', (a) => a.num_a],
    ['num_b', (a) => a.num_b],
    ['city', (a) => a.city],
    ['seen_at', (a) => (a.seen_at === null ? null : new Date(ms(a.seen_at)).toISOString())],
    ['observed_at', (a) => new Date(ms(a.observed_at)).toISOString()],
    ['TEXT_LENGTH(bio)', (a) => (a.bio === null ? null : [...(a.bio as string)].length)],
    ['WORD_COUNT(bio)', (a) => (a.bio === null ? null : (a.bio as string).split(/\s+/).filter((w) => w !== '').length)],
    ['joined_on', (a) => (a.joined_on === null ? null : new Date(ms(a.joined_on)).toISOString())],
    ...dateParts('seen_at', true),
    ...dateParts('observed_at', true),
    ...dateParts('joined_on', false),
    ratio('balance', 'num_a'),
    ratio('balance', 'num_b'),
    ratio('num_a', 'num_b'),
    ['plans.plan_name', (a) => plans.get(a.plan_id)!.plan_name],
    ['plans.fee', (a) => plans.get(a.plan_id)!.fee],
  ];
}

/** Least squares written out (centred), not REGR_SLOPE, over `scope`'s rows; x in days since the epoch. */
function slope(scope: string, time: string, y: string): string {
  return (
    `(SELECT SUM((x - mx) * (y - my)) / NULLIF(SUM((x - mx) * (x - mx)), 0) FROM (SELECT x, y, AVG(x) OVER () AS mx, AVG(y) OVER () AS my FROM ` +
    `(SELECT date_diff('millisecond', TIMESTAMP '1970-01-01', ${time}) / ${DAY_MS}.0 AS x, ${y} AS y FROM ${scope} AND ${y} IS NOT NULL) AS pts) AS centred)`
  );
}

/** Aggregate expectations as correlated subqueries over `acc a` (with its cutoff `a.cut`). */
function aggregateRules(windowDays: number | null, timed: boolean): Array<readonly [string, string]> {
  const where = !timed
    ? ''
    : windowDays === null
      ? ' WHERE events.at < cutoff'
      : ` WHERE cutoff - ${windowDays} days <= events.at < cutoff`;
  const name = (op: string, inner: string) => `${op}(events${inner === '' ? '' : `.${inner}`}${where})`;
  const filter = !timed
    ? ''
    : ` AND e.at < a.cut${windowDays === null ? '' : ` AND e.at >= a.cut - INTERVAL (${windowDays}) DAY`}`;
  const scope = `events e WHERE e.account_id = a.id${filter}`;
  const over = (select: string) => `(SELECT ${select} FROM ${scope})`;
  const days = (t: string) => `(date_diff('millisecond', ${t}, a.cut) / ${DAY_MS}.0)`;
  const trend = (y: string) => slope(scope, 'e.at', y);
  const mode = (v: string) =>
    `(SELECT ${v} FROM ${scope} AND ${v} IS NOT NULL GROUP BY ${v} ORDER BY COUNT(*) DESC, ${v} LIMIT 1)`;
  const numeric = (inner: string, v: string, withTrend: boolean): Array<readonly [string, string]> => [
    [name('SUM', inner), `COALESCE(${over(`SUM(${v})`)}, 0)`],
    [name('MEAN', inner), over(`AVG(${v})`)],
    [name('MIN', inner), over(`MIN(${v})`)],
    [name('MAX', inner), over(`MAX(${v})`)],
    [name('STD', inner), over(`stddev_samp(${v})`)],
    ...(withTrend && timed ? [[name('TREND', inner), trend(v)] as const] : []),
  ];
  const dow = `CAST(dayofweek(e.at) AS VARCHAR)`;
  // A parent's values seen through the child rows: events joined to their product (if any).
  const viaProduct = `events e LEFT JOIN products p ON p.product_id = e.product_id WHERE e.account_id = a.id${filter}`;
  const product = (select: string) => `(SELECT ${select} FROM ${viaProduct})`;
  const items = (agg: string, zero: boolean) => {
    const q = `(SELECT ${agg} FROM items i WHERE i.event_id = e.event_id)`;
    return zero ? `COALESCE(${q}, 0)` : q;
  };
  return [
    [name('COUNT', ''), over('COUNT(*)')],
    ...(timed
      ? ([
          [name('TIME_SINCE_LAST', 'at'), over(`${days('MAX(e.at)')}`)],
          [name('TIME_SINCE_FIRST', 'at'), over(`${days('MIN(e.at)')}`)],
        ] as const)
      : []),
    ...numeric('amount', 'e.amount', true),
    [name('MODE', 'kind'), mode('e.kind')],
    [name('NUM_UNIQUE', 'kind'), over('COUNT(DISTINCT e.kind)')],
    [name('PERCENT_TRUE', 'flag'), over('SUM(CASE WHEN e.flag THEN 1 ELSE 0 END) / NULLIF(COUNT(e.flag), 0)')],
    [name('MODE', 'DAY_OF_WEEK(at)'), mode(dow)],
    [name('NUM_UNIQUE', 'DAY_OF_WEEK(at)'), over(`COUNT(DISTINCT ${dow})`)],
    [name('PERCENT_TRUE', 'IS_WEEKEND(at)'), over(`AVG(CASE WHEN dayofweek(e.at) IN (0, 6) THEN 1.0 ELSE 0.0 END)`)],
    [
      name('MODE', 'products.category'),
      `(SELECT p.category FROM ${viaProduct} AND p.category IS NOT NULL GROUP BY p.category ORDER BY COUNT(*) DESC, p.category LIMIT 1)`,
    ],
    [name('NUM_UNIQUE', 'products.category'), product('COUNT(DISTINCT p.category)')],
    [name('SUM', 'products.weight'), `COALESCE(${product('SUM(p.weight)')}, 0)`],
    [name('MEAN', 'products.weight'), product('AVG(p.weight)')],
    [name('MIN', 'products.weight'), product('MIN(p.weight)')],
    [name('MAX', 'products.weight'), product('MAX(p.weight)')],
    [name('STD', 'products.weight'), product('stddev_samp(p.weight)')],
    ...numeric('COUNT(items)', items('COUNT(*)', true), false),
    ...numeric('SUM(items.price)', items('SUM(i.price)', true), false),
    ...numeric('MEAN(items.price)', items('AVG(i.price)', false), false),
    ...numeric('MIN(items.price)', items('MIN(i.price)', false), false),
    ...numeric('MAX(items.price)', items('MAX(i.price)', false), false),
    ...numeric('STD(items.price)', items('stddev_samp(i.price)', false), false),
    // No time index: every note, whatever the cutoff or window.
    ['COUNT(notes)', '(SELECT COUNT(*) FROM notes n WHERE n.account_id = a.id)'],
    [
      'MODE(notes.label)',
      '(SELECT n.label FROM notes n WHERE n.account_id = a.id AND n.label IS NOT NULL GROUP BY n.label ORDER BY COUNT(*) DESC, n.label LIMIT 1)',
    ],
    ['NUM_UNIQUE(notes.label)', '(SELECT COUNT(DISTINCT n.label) FROM notes n WHERE n.account_id = a.id)'],
  ];
}

/** Aggregates over one of the two relationships from transfers to accounts (`fk`: from_account or to_account). */
function transferRules(fk: string, windowDays: number | null, timed: boolean): Array<readonly [string, string]> {
  const label = `transfers[${fk}]`;
  const where = !timed
    ? ''
    : windowDays === null
      ? ` WHERE ${label}.sent_at < cutoff`
      : ` WHERE cutoff - ${windowDays} days <= ${label}.sent_at < cutoff`;
  const name = (op: string, inner: string) => `${op}(${label}${inner === '' ? '' : `.${inner}`}${where})`;
  const filter = !timed
    ? ''
    : ` AND t.sent_at < a.cut${windowDays === null ? '' : ` AND t.sent_at >= a.cut - INTERVAL (${windowDays}) DAY`}`;
  const scope = `transfers t WHERE t.${fk} = a.id${filter}`;
  const over = (select: string) => `(SELECT ${select} FROM ${scope})`;
  const dow = 'CAST(dayofweek(t.sent_at) AS VARCHAR)';
  const timedRules: Array<readonly [string, string]> = [
    [name('TIME_SINCE_LAST', 'sent_at'), over(`date_diff('millisecond', MAX(t.sent_at), a.cut) / ${DAY_MS}.0`)],
    [name('TIME_SINCE_FIRST', 'sent_at'), over(`date_diff('millisecond', MIN(t.sent_at), a.cut) / ${DAY_MS}.0`)],
    [name('TREND', 'value'), slope(scope, 't.sent_at', 't.value')],
  ];
  return [
    [name('COUNT', ''), over('COUNT(*)')],
    [name('SUM', 'value'), `COALESCE(${over('SUM(t.value)')}, 0)`],
    [name('MEAN', 'value'), over('AVG(t.value)')],
    [name('MIN', 'value'), over('MIN(t.value)')],
    [name('MAX', 'value'), over('MAX(t.value)')],
    [name('STD', 'value'), over('stddev_samp(t.value)')],
    ...(timed ? timedRules : []),
    [
      name('MODE', 'DAY_OF_WEEK(sent_at)'),
      `(SELECT ${dow} FROM ${scope} GROUP BY ${dow} ORDER BY COUNT(*) DESC, ${dow} LIMIT 1)`,
    ],
    [name('NUM_UNIQUE', 'DAY_OF_WEEK(sent_at)'), over(`COUNT(DISTINCT ${dow})`)],
    [
      name('PERCENT_TRUE', 'IS_WEEKEND(sent_at)'),
      over('AVG(CASE WHEN dayofweek(t.sent_at) IN (0, 6) THEN 1.0 ELSE 0.0 END)'),
    ],
  ];
}

const objects = (t: FixtureTable): Array<Record<string, any>> =>
  t.rows.map((r) => Object.fromEntries(t.columns.map(([c], i) => [c, r[i]])));

/** FREQUENCY(city): the share of all accounts with this row's city (NULL for a missing city). */
function frequencyRule(accounts: ReadonlyArray<Record<string, any>>): RowRule {
  return [
    'FREQUENCY(city)',
    (a) => (a.city === null ? null : accounts.filter((x) => x.city === a.city).length / accounts.length),
  ];
}

/**
 * The expected matrix (features only, keyed by name, in account id order) for the fixture whose
 * CSV files are in `csvDir`.
 */
export async function expectedMatrix(
  csvDir: string,
  options: ExpectedOptions,
): Promise<{ names: string[]; rows: Row[] }> {
  const tables = fixtureTables();
  const byName = new Map(tables.map((t) => [t.name, t]));
  const accounts = objects(byName.get('accounts')!).sort((x, y) => x.id - y.id);
  const plans = new Map(objects(byName.get('plans')!).map((p) => [p.plan_id as number, p]));
  const rules = [...rowRules(plans, options.cutoff), frequencyRule(accounts)];
  const timed = options.cutoff.kind !== 'none';
  const aggregates = [
    ...aggregateRules(options.windowDays, timed),
    ...transferRules('from_account', options.windowDays, timed),
    ...transferRules('to_account', options.windowDays, timed),
  ];

  const duck = await openEngine({ kind: 'duckdb' });
  let aggRows: Row[];
  try {
    const q = duck.dialect.quoteString;
    const ctes = tables.map((t) => {
      const cols = t.columns.map(([c, ty]) => `${q(c)}: ${q(DUCK_TYPE[ty])}`).join(', ');
      return `${t.name} AS (SELECT * FROM read_csv(${q(join(csvDir, `${t.name}.csv`))}, auto_detect=false, header=true, delim=',', quote='"', escape='"', columns={${cols}}))`;
    });
    const cut =
      options.cutoff.kind === 'fixed'
        ? `TIMESTAMP ${q(options.cutoff.at)}`
        : options.cutoff.kind === 'column'
          ? `a.${duck.dialect.quoteIdent(options.cutoff.column)}`
          : 'CAST(NULL AS TIMESTAMP)';
    ctes.push(`acc AS (SELECT a.*, ${cut} AS cut FROM accounts a)`);
    const select = aggregates.map(([n, sql]) => `${sql} AS ${duck.dialect.quoteIdent(n)}`);
    aggRows = (
      await duck.query(`WITH ${ctes.join(',\n')}\nSELECT a.id, ${select.join(',\n')} FROM acc a ORDER BY a.id`)
    ).rows;
  } finally {
    await duck.close();
  }
  const rows = accounts.map((a, i) => {
    const cut =
      options.cutoff.kind === 'fixed'
        ? ms(options.cutoff.at)
        : options.cutoff.kind === 'column'
          ? ms(a[options.cutoff.column])
          : Number.NaN;
    const row: Row = {};
    for (const [n, f] of rules) row[n] = f(a, cut);
    for (const [n] of aggregates) row[n] = aggRows[i]![n] ?? null;
    return row;
  });
  return { names: [...rules.map(([n]) => n), ...aggregates.map(([n]) => n)], rows };
}
