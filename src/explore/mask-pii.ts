import type { PiiKind } from '../catalog/catalog.js';

const STARS = '***';

/**
 * Mask one value of a PII column for display. Keeps just enough to recognise the shape of the
 * data (an email's first letters and top-level domain, a card's last four digits) and never
 * the value itself. Idempotent: masking an already masked value gives the same text, so the
 * report can apply it defensively even when the catalog was masked upstream.
 */
export function maskPii(kind: PiiKind, value: string | number | boolean | null): string | null {
  if (value === null) return null;
  const text = String(value).trim();
  if (text === '') return '';
  switch (kind) {
    case 'email':
      return maskEmail(text);
    case 'phone':
      return keepLastDigits(text, 2);
    case 'credit_card':
      return keepLastDigits(text, 4);
    case 'national_id':
      return keepLastDigits(text, 2);
    case 'person_name':
      return text
        .split(/\s+/)
        .map((part) => `${firstChar(part)}${STARS}`)
        .join(' ');
    case 'address':
      return `${firstChar(text)}${STARS}`;
    case 'postal_code':
      return `${[...text].slice(0, 2).join('')}${STARS}`;
    case 'ip_address':
      return maskIp(text);
    case 'date_of_birth':
      return maskDate(text);
  }
}

function firstChar(text: string): string {
  // Code points, not UTF-16 units: a name starting with an emoji or a CJK character stays whole.
  return [...text][0] ?? '';
}

function maskEmail(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return `${firstChar(text)}${STARS}`;
  const domain = text.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${firstChar(text)}${STARS}@${firstChar(domain)}${STARS}${tld}`;
}

/** Every digit but the last `keep` becomes '*'; separators stay so the shape is visible. */
function keepLastDigits(text: string, keep: number): string {
  const digits = text.replace(/\D/g, '').length;
  if (digits === 0) return `${firstChar(text)}${STARS}`;
  // Already masked (stars and at most `keep` digits): leave it, so masking is idempotent.
  if (digits <= keep && text.includes('*')) return text;
  let seen = 0;
  let out = '';
  for (const ch of text) {
    if (/\d/.test(ch)) {
      seen++;
      out += seen > digits - keep && digits > keep ? ch : '*';
    } else out += /[\p{L}]/u.test(ch) ? '*' : ch;
  }
  return out;
}

function maskIp(text: string): string {
  if (text.includes(':')) return `${text.split(':')[0] ?? ''}:${STARS}`;
  const parts = text.split('.');
  return parts.length === 4 ? `${parts[0]}.${parts[1]}.*.*` : `${firstChar(text)}${STARS}`;
}

/** A birth date keeps its year only: "1985-**-**". */
function maskDate(text: string): string {
  const year = /\b(1[89]\d\d|20\d\d)\b/.exec(text)?.[1];
  return year ? `${year}-**-**` : STARS;
}

const EMAIL_LIKE = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

/**
 * Mask email addresses inside free text (evidence, alert details, findings): a detector that
 * quotes an example value must not leak it into the report.
 */
export function scrubFreeText(text: string): string {
  return text.replace(EMAIL_LIKE, (m) => maskEmail(m));
}
