/**
 * A small hand-made relational dataset for testing feature synthesis: every primitive has rows
 * that exercise its edge cases. `accounts` (the target table, with timestamps, a date, text, a
 * 21-value city and ratio columns with a zero divisor) points at `plans`; `events` point at
 * `accounts` and at `products`; `items` point at `events`; `notes` (no time) point at
 * `accounts`; `transfers` point at `accounts` twice, as sender and as receiver. Values come
 * from fixed formulas, then the special accounts are written by hand:
 *   1: no events at all (COUNT/SUM/NUM_UNIQUE 0, every other aggregate NULL)
 *   2: events whose amount, kind and flag are all NULL
 *   3: exactly one event before the cutoff (STD and TREND NULL)
 *   4: a MODE tie between 'B' and 'a' (seen in that order): the smaller by code point, 'B',
 *      must win on every engine, whatever a database's collation says (English puts 'a' first)
 *   5: events exactly at, one second before and one second after the fixed cutoff, and at
 *      and one second before the start of a 30-day window
 * The same rows are written as CSV files, a SQLite file and a Postgres schema.
 */

export type FixtureType = 'int' | 'float' | 'text' | 'bool' | 'date' | 'timestamp';
export type FixtureValue = number | string | boolean | null;

export interface FixtureTable {
  readonly name: string;
  readonly columns: ReadonlyArray<readonly [string, FixtureType]>;
  readonly rows: ReadonlyArray<readonly FixtureValue[]>;
}

/** The fixed cutoff the tests pass with --cutoff-time. */
export const CUTOFF = '2024-06-01 00:00:00';
/** The window the tests pass with --window, in days. */
export const WINDOW_DAYS = 30;

const CITIES = [
  'Oslo',
  'Lima',
  'Kyiv',
  'Rome',
  'Pune',
  'Cork',
  'Bern',
  'Riga',
  'Baku',
  'Doha',
  'Nice',
  'Graz',
  'Kobe',
  'Fès',
  'Ulm',
  'Bonn',
  'Gent',
  'Lund',
  'Metz',
  'Nara',
  'Turku',
  'Split',
];
const WORDS = ['quiet', 'naïve', 'café', 'loves', 'fast', 'boats', 'and', 'long', 'walks', 'x'];
const KINDS = ['a', 'b', 'c', 'd'];

/** `YYYY-MM-DD HH:MM:SS` (UTC) of a millisecond epoch. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
const at = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
const DAY_MS = 86_400_000;

function accounts(): FixtureValue[][] {
  const rows: FixtureValue[][] = [];
  for (let id = 1; id <= 24; id++) {
    const seen = at('2023-01-01 00:00:00') + id * 37 * DAY_MS + ((id * 5) % 24) * 3_600_000 + id * 61_000;
    const words = (id % 5) + 1;
    const bio =
      id % 6 === 0
        ? null
        : (id === 7 ? ' ' : '') +
          Array.from({ length: words }, (_, w) => WORDS[(id + w * 3) % WORDS.length]).join(id % 2 === 0 ? '  ' : ' ');
    // Per-row cutoffs (--cutoff-column observed_at): spread over spring 2024.
    const observed =
      id === 5
        ? '2024-05-02 00:00:00'
        : id === 8
          ? '2024-06-20 00:00:00'
          : stamp(at('2024-03-01 00:00:00') + id * 5 * DAY_MS + (id % 3) * 3_600_000);
    rows.push([
      id,
      1 + (id % 3),
      id % 3 === 0,
      id === 7 ? null : id * 12.25 - 30,
      (id % 4) * 3 + 1,
      id === 9 ? null : id % 4 === 0 ? 0 : (id % 7) - 2,
      id === 11 ? null : CITIES[id % CITIES.length]!,
      bio,
      id === 13 ? null : stamp(seen),
      observed,
      id === 17 ? null : stamp(at('2022-02-26 00:00:00') + id * 11 * DAY_MS).slice(0, 10),
    ]);
  }
  return rows;
}

function events(): FixtureValue[][] {
  const rows: FixtureValue[][] = [];
  let eventId = 100;
  const add = (account: number, time: string, amount: number | null, kind: string | null, flag: boolean | null) => {
    // Some events have no product, and account 2's events have nothing at all.
    const product = account === 2 || eventId % 6 === 0 ? null : 1 + (eventId % 5);
    rows.push([eventId++, account, product, time, amount, kind, flag]);
  };
  add(2, '2024-02-03 10:00:00', null, null, null);
  add(2, '2024-03-04 11:30:00', null, null, null);
  add(3, '2024-04-05 06:07:08', 5.5, 'c', true);
  add(3, '2024-07-01 00:00:00', 100, 'a', false); // after the cutoff: must not count
  for (const [k, t, amt] of [
    ['B', '2024-01-06 09:00:00', 3],
    ['a', '2024-01-07 09:00:00', 7.25],
    ['B', '2024-02-10 18:00:00', -2],
    ['a', '2024-03-09 23:00:00', 4],
    ['c', '2024-05-18 12:00:00', 8],
  ] as const) {
    add(4, t, amt, k, amt > 3);
  }
  // The cutoff edges (fixed cutoff 2024-06-01, window 30 days, account 5's own cutoff 2024-05-02).
  add(5, '2024-06-01 00:00:00', 5000, 'd', true); // at the cutoff: excluded
  add(5, '2024-06-01 00:00:01', 6000, 'd', true); // after: excluded
  add(5, '2024-05-31 23:59:59', 999, 'a', false); // one second before: included
  add(5, '2024-05-02 00:00:00', 11, 'b', true); // exactly 30 days before: inside the window
  add(5, '2024-05-01 23:59:59', -11, 'b', false); // one second older: outside the window
  add(5, '2024-03-15 08:00:00', 21, 'c', null);
  for (let id = 6; id <= 24; id++) {
    const n = (id % 5) + 1 + (id % 2);
    for (let j = 0; j < n; j++) {
      const t =
        at('2024-01-01 00:00:00') +
        ((id * 13 + j * 29) % 175) * DAY_MS +
        ((id + j * 5) % 24) * 3_600_000 +
        ((j * 7) % 60) * 60_000 +
        j * 1000;
      const amount = j === 1 && id % 4 === 0 ? null : Math.round(((id * 3.7 + j * 11.3) % 50) * 100) / 100 - 10;
      const kind = (id + j) % 7 === 0 ? null : KINDS[(id + j) % 4]!;
      const flag = (id * j) % 3 === 0 && j > 0 ? null : (id + j) % 2 === 0;
      add(id, stamp(t), amount, kind, flag);
    }
  }
  return rows;
}

function items(eventIds: readonly number[]): FixtureValue[][] {
  const rows: FixtureValue[][] = [];
  let itemId = 1;
  for (const e of eventIds) {
    for (let k = 0; k < e % 4; k++)
      rows.push([itemId++, e, (e * 7 + k * 3) % 11 === 0 ? null : ((e * 7 + k * 3) % 20) + 0.25 * k]);
  }
  return rows;
}

/** Notes have no time, so a cutoff cannot apply: every note counts (and synthesis says so). */
function notes(): FixtureValue[][] {
  const rows: FixtureValue[][] = [];
  for (let id = 2; id <= 24; id++) {
    for (let k = 0; k < id % 3; k++)
      rows.push([rows.length + 1, id, (id + k) % 5 === 0 ? null : ['x', 'y', 'z'][(id + k) % 3]!]);
  }
  return rows;
}

/** Transfers point at accounts twice (sender and receiver): two child scopes of one table. */
function transfers(): FixtureValue[][] {
  const rows: FixtureValue[][] = [];
  for (let k = 0; k < 40; k++) {
    const from = 2 + ((k * 7) % 23);
    let to = 1 + ((k * 11) % 24);
    if (to === from) to = (to % 24) + 1;
    const sent = at('2024-01-01 00:00:00') + ((k * 17) % 170) * DAY_MS + (k % 24) * 3_600_000;
    rows.push([k + 1, from, to, stamp(sent), k % 4 === 0 ? null : k * 2.5 - 20]);
  }
  return rows;
}

export function fixtureTables(): FixtureTable[] {
  const ev = events();
  return [
    {
      name: 'plans',
      columns: [
        ['plan_id', 'int'],
        ['plan_name', 'text'],
        ['fee', 'float'],
      ],
      rows: [
        [1, 'basic', 0],
        [2, 'pro', 9.5],
        [3, 'team', 29],
      ],
    },
    {
      name: 'accounts',
      columns: [
        ['id', 'int'],
        ['plan_id', 'int'],
        ['churned', 'bool'],
        ['balance', 'float'],
        ['num_a', 'float'],
        ['num_b', 'float'],
        ['city', 'text'],
        ['bio', 'text'],
        ['seen_at', 'timestamp'],
        ['observed_at', 'timestamp'],
        ['joined_on', 'date'],
      ],
      rows: accounts(),
    },
    // Products are the events' parent: their values reach accounts only through events (MEAN(events.products.weight …)).
    {
      name: 'products',
      columns: [
        ['product_id', 'int'],
        ['category', 'text'],
        ['weight', 'float'],
      ],
      rows: [
        [1, 'toy', 0.5],
        [2, 'food', 1.25],
        [3, 'tool', null],
        [4, 'food', 3],
        [5, null, 7.75],
      ],
    },
    {
      name: 'events',
      columns: [
        ['event_id', 'int'],
        ['account_id', 'int'],
        ['product_id', 'int'],
        ['at', 'timestamp'],
        ['amount', 'float'],
        ['kind', 'text'],
        ['flag', 'bool'],
      ],
      rows: ev,
    },
    {
      name: 'transfers',
      columns: [
        ['transfer_id', 'int'],
        ['from_account', 'int'],
        ['to_account', 'int'],
        ['sent_at', 'timestamp'],
        ['value', 'float'],
      ],
      rows: transfers(),
    },
    {
      name: 'notes',
      columns: [
        ['note_id', 'int'],
        ['account_id', 'int'],
        ['label', 'text'],
      ],
      rows: notes(),
    },
    {
      name: 'items',
      columns: [
        ['item_id', 'int'],
        ['event_id', 'int'],
        ['price', 'float'],
      ],
      rows: items(ev.map((r) => r[0] as number)),
    },
  ];
}
