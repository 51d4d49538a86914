import type { PiiKind } from '../catalog/catalog.js';
import { birthLikeName, normaliseName } from './column-names.js';
import { luhnValid, patternClass } from './patterns.js';

export interface PiiGuess {
  readonly kind: PiiKind;
  readonly confidence: number;
  readonly evidence: readonly string[];
}

export interface PiiInput {
  readonly name: string;
  /** The column's logical family: text values are checked against patterns. */
  readonly isText: boolean;
  readonly isTemporal: boolean;
  /** Non-null sample values as text. */
  readonly values: readonly string[];
}

const PERSON_NAME = /^\p{Lu}[\p{L}\p{M}'’.-]*(\s+\p{Lu}[\p{L}\p{M}'’.-]*){0,3}$/u;
const SSN = /^\d{3}-\d{2}-\d{4}$/;

const share = (values: readonly string[], test: (v: string) => boolean): number => {
  if (values.length === 0) return 0;
  let n = 0;
  for (const v of values) if (test(v)) n++;
  return n / values.length;
};
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * Does this column identify a person? From its name and the pattern of its values. Names alone
 * are weaker evidence than values (a `phone_model` column holds no phone numbers), so a name
 * match without matching values yields a lower confidence, and some kinds need both.
 */
export function detectPii(input: PiiInput): PiiGuess | null {
  const n = normaliseName(input.name);
  const v = input.isText ? input.values : [];
  const guesses: PiiGuess[] = [];
  const add = (kind: PiiKind, confidence: number, ...evidence: string[]) =>
    guesses.push({ kind, confidence, evidence });

  const email = share(v, (x) => patternClass(x) === 'email');
  if (email >= 0.8) add('email', 0.9 + 0.09 * email, `${pct(email)} of values look like email addresses`);
  else if (/(^|_)e?mail($|_)/.test(n) && (v.length === 0 || email > 0.3)) add('email', 0.6, 'name says email');

  const phoneName = /(^|_)(phone|mobile|tel|telephone|fax|cell)($|_)/.test(n);
  const phone = share(v, (x) => patternClass(x) === 'phone' && x.replace(/\D/g, '').length >= 7);
  if (phoneName && phone >= 0.6)
    add('phone', 0.95, 'name says phone', `${pct(phone)} of values look like phone numbers`);
  else if (phone >= 0.8 && share(v, (x) => x.startsWith('+')) >= 0.5)
    add('phone', 0.75, `${pct(phone)} of values look like international phone numbers`);
  else if (phoneName && !input.isTemporal) add('phone', 0.55, 'name says phone');

  const personName =
    /(^|_)(full_?name|first_?name|last_?name|surname|given_?name|family_?name|forename|middle_?name|person|contact_?name|customer_?name|patient_?name|employee_?name|user_?name)($|_)/.test(
      n,
    ) || n === 'name';
  const looksLikeNames = share(v, (x) => PERSON_NAME.test(x.trim()));
  if (personName && looksLikeNames >= 0.7)
    add('person_name', 0.9, 'name says a person’s name', `${pct(looksLikeNames)} of values are capitalised words`);
  else if (personName && v.length > 0 && looksLikeNames >= 0.3) add('person_name', 0.6, 'name says a person’s name');

  if (/(^|_)(zip|zipcode|postal|postcode|postal_code|post_code|plz)($|_)/.test(n))
    add('postal_code', 0.9, 'name says postal code');
  if (/(^|_)(address|street|addr|address_line\d?)($|_)/.test(n) && !/(^|_)(ip|mac|email)(_|$)/.test(n))
    add('address', 0.8, 'name says address');

  const ip = share(v, (x) => patternClass(x) === 'ip_address');
  if (ip >= 0.8) add('ip_address', 0.9, `${pct(ip)} of values look like IP addresses`);

  const card = share(v, luhnValid);
  if (card >= 0.8) add('credit_card', 0.9, `${pct(card)} of values are 13–19 digit numbers passing the Luhn check`);

  const ssn = share(v, (x) => SSN.test(x));
  if (ssn >= 0.8) add('national_id', 0.85, `${pct(ssn)} of values look like social security numbers`);
  else if (/(^|_)(ssn|national_id|passport|passport_no|tax_id|nin|sin|personal_id|id_card)($|_)/.test(n))
    add('national_id', 0.75, 'name says national id');

  if (birthLikeName(input.name) && (input.isTemporal || share(v, (x) => /date/.test(patternClass(x))) > 0.8)) {
    add('date_of_birth', 0.9, 'name says date of birth', 'values are dates');
  }
  guesses.sort((a, b) => b.confidence - a.confidence);
  return guesses[0] ?? null;
}

// One masking function for the catalog and the report (idempotent, so both may apply it).
export { maskPii } from './mask-pii.js';
