import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PiiKind } from '../catalog/catalog.js';
import { maskPii, scrubFreeText } from './mask-pii.js';

const CASES: Array<[PiiKind, string | number, string]> = [
  ['email', 'quinn.haddad1@example.com', 'q***@e***.com'],
  ['phone', '+49 171 9758066', '+** *** *****66'],
  ['credit_card', '4111 1111 1111 1234', '**** **** **** 1234'],
  ['national_id', '123-45-6789', '***-**-**89'],
  ['person_name', "Chloé O'Brien", 'C*** O***'],
  ['address', '12 Main Street', '1***'],
  ['postal_code', 34412, '34***'],
  ['ip_address', '192.168.10.77', '192.168.*.*'],
  ['ip_address', '2001:db8::1', '2001:***'],
  ['date_of_birth', '1985-07-14', '1985-**-**'],
];

test('maskPii keeps the shape of each kind of personal data and drops the value', () => {
  for (const [kind, raw, masked] of CASES) {
    assert.equal(maskPii(kind, raw), masked, `${kind} ${raw}`);
    assert.ok(!maskPii(kind, raw)!.includes(String(raw)), `${kind}: the raw value survives`);
  }
});

test('maskPii is idempotent, so masking an already masked catalog changes nothing', () => {
  for (const [kind, raw] of CASES) {
    const once = maskPii(kind, raw);
    assert.equal(maskPii(kind, once), once, `${kind}`);
  }
});

test('maskPii keeps null as null and masks numbers and booleans as text', () => {
  assert.equal(maskPii('email', null), null);
  assert.equal(maskPii('phone', 491719758066), '**********66');
  assert.equal(maskPii('person_name', true), 't***');
});

test('maskPii never splits a character: names starting with an emoji or CJK stay valid text', () => {
  assert.equal(maskPii('person_name', '山田 太郎'), '山*** 太***');
  assert.equal(maskPii('person_name', '😀x'), '😀***');
});

test('scrubFreeText masks email addresses quoted in evidence or findings', () => {
  assert.equal(scrubFreeText('e.g. anna.dubois1111@example.com and 3 more'), 'e.g. a***@e***.com and 3 more');
  assert.equal(scrubFreeText('no address here'), 'no address here');
});
