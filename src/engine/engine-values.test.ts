import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  integerValue,
  isoFromEpochMicros,
  isoFromTimestampText,
  jsonText,
  makeRow,
  plainBytes,
} from './engine-values.js';

test('integerValue keeps safe integers as numbers and larger ones exact as strings', () => {
  assert.equal(integerValue(9007199254740991n), 9007199254740991);
  assert.equal(integerValue(-9007199254740991n), -9007199254740991);
  assert.equal(integerValue(9007199254740992n), '9007199254740992');
  assert.equal(integerValue(-170141183460469231731687303715884105728n), '-170141183460469231731687303715884105728');
});

test('isoFromEpochMicros floors towards the past, before the epoch too', () => {
  assert.equal(isoFromEpochMicros(0n), '1970-01-01T00:00:00.000Z');
  assert.equal(isoFromEpochMicros(1_999n), '1970-01-01T00:00:00.001Z');
  assert.equal(isoFromEpochMicros(-1n), '1969-12-31T23:59:59.999Z');
  assert.equal(isoFromEpochMicros(-1_000n), '1969-12-31T23:59:59.999Z');
  assert.equal(isoFromEpochMicros(-1_001n), '1969-12-31T23:59:59.998Z');
});

test('isoFromTimestampText reads Postgres and SQLite timestamp text as UTC instants', () => {
  const cases: Array<[string, string]> = [
    ['2024-01-02 03:04:05.123456', '2024-01-02T03:04:05.123Z'],
    ['2024-01-02 03:04:05', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04', '2024-01-02T03:04:00.000Z'],
    ['2024-01-02 03:04:05.5+00', '2024-01-02T03:04:05.500Z'],
    ['2024-01-02 03:04:05+05:30', '2024-01-01T21:34:05.000Z'],
    ['2024-01-02 03:04:05-08', '2024-01-02T11:04:05.000Z'],
    ['2024-01-02T03:04:05.678Z', '2024-01-02T03:04:05.678Z'],
    ['0099-03-04 00:00:00', '0099-03-04T00:00:00.000Z'],
  ];
  for (const [input, expected] of cases) assert.equal(isoFromTimestampText(input), expected, input);
  for (const kept of ['infinity', '-infinity', '0044-03-15 12:00:00 BC', 'not a timestamp', '2024-01-02']) {
    assert.equal(isoFromTimestampText(kept), kept);
  }
});

test('jsonText writes bigints by the integer rule and bytes as base64', () => {
  assert.equal(
    jsonText({ a: [1n, 2n ** 60n], b: new Uint8Array([255]), c: null }),
    '{"a":[1,"1152921504606846976"],"b":"/w==","c":null}',
  );
});

test('plainBytes turns a Buffer into a plain Uint8Array over the same bytes', () => {
  const bytes = plainBytes(Buffer.from([1, 2, 3]).subarray(1));
  assert.equal(bytes.constructor, Uint8Array);
  assert.deepEqual(bytes, new Uint8Array([2, 3]));
});

test('makeRow stores a __proto__ column as data, not as the prototype', () => {
  const row = makeRow(['__proto__', 'a'], ['x', 1]);
  assert.equal(Object.getPrototypeOf(row), Object.prototype);
  assert.deepEqual(Object.entries(row), [
    ['__proto__', 'x'],
    ['a', 1],
  ]);
});
