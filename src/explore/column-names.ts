/** Name heuristics shared by key, relationship, time-index and target inference. */

/** Lower-case, words split on case changes and separators: `CustomerID` -> `customer_id`. */
export function normaliseName(name: string): string {
  let n = normalised.get(name);
  if (n === undefined) {
    // Relationship inference asks for the same names (keys x columns) many times.
    if (normalised.size > 100_000) normalised.clear();
    normalised.set(name, (n = computeNormalised(name)));
  }
  return n;
}
const normalised = new Map<string, string>();

function computeNormalised(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

/** A crude singular: customers -> customer, categories -> category, addresses -> address. */
export function singular(word: string): string {
  // A schema-qualified table (`sales.customers`) is named by its last part.
  const w = normaliseName(word.slice(word.lastIndexOf('.') + 1));
  if (/ies$/.test(w)) return w.slice(0, -3) + 'y';
  if (/(ss|sh|ch|x|z)es$/.test(w)) return w.slice(0, -2);
  if (/s$/.test(w) && !/ss$/.test(w)) return w.slice(0, -1);
  return w;
}

/** Does the name read like an identifier (`id`, `customer_id`, `order_no`, `sku`, `uuid`)? */
export function idLikeName(name: string): boolean {
  const n = normaliseName(name);
  return /(^|_)(id|uuid|guid|key|code|no|nr|num|number|sku|ref)$/.test(n) || /^(id|pk)_/.test(n);
}

/** A name that says "position within a parent": line_no, seq, position, item_number. */
export function sequenceLikeName(name: string): boolean {
  return /(^|_)(line|seq|sequence|position|pos|idx|index|item|row|rank|step|version)(_(no|nr|num|number|id))?$/.test(
    normaliseName(name),
  );
}

export function timeLikeName(name: string): boolean {
  return /(^|_)(at|on|date|time|timestamp|ts|datetime|day|created|updated|modified|ordered|opened|closed|signed_up|registered|started|ended)($|_)/.test(
    normaliseName(name),
  );
}

export function birthLikeName(name: string): boolean {
  return /(^|_)(dob|birth|birthday|birthdate|born|date_of_birth)($|_)/.test(normaliseName(name));
}

/** Names that say "this is what we want to predict". */
export function targetLikeName(name: string): boolean {
  return /(^|_)(target|label|class|outcome|churn|churned|default|defaulted|fraud|is_fraud|converted|conversion|survived|response|y)($|_)/.test(
    normaliseName(name),
  );
}
