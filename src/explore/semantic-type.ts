import type { LogicalType } from '../engine/engine.js';
import type { PiiKind, SemanticType } from '../catalog/catalog.js';
import { idLikeName, normaliseName, sequenceLikeName } from './column-names.js';
import { isNumericType, isTemporalType } from './sample-stats.js';

export interface SemanticInput {
  readonly name: string;
  readonly logicalType: LogicalType;
  readonly nonNull: number;
  readonly distinct: number;
  /** Exactly unique and not null over the whole table. */
  readonly unique: boolean;
  readonly patterns: Readonly<Record<string, number>> | null;
  readonly length: { readonly mean: number; readonly max: number } | null;
  readonly numericTextShare: number | null;
  /** Distinct non-null values seen in the sample, as text (lower-cased). */
  readonly sampleLevels: readonly string[];
  readonly pii: PiiKind | null;
}

export interface SemanticGuess {
  readonly semanticType: SemanticType;
  readonly confidence: number;
  readonly evidence: string[];
}

const BOOLEAN_LEVELS = new Set(['0', '1', 'true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', 'on', 'off']);
const QUANTITY_NAME =
  /(^|_)(qty|quantity|count|cnt|num|n|amount|amt|price|cost|total|sum|size|age|year|years|days|hours|minutes|seconds|weight|height|width|length|score|balance|salary|income|revenue)($|_)/;
const CODE_NAME =
  /(^|_)(zip|zipcode|postal|postcode|postal_code|plz|area_code|country_code|region_code|status_code|type|category|kind|class|grade|level|tier|segment|group)($|_)/;

/**
 * How a column should be treated in analysis, from its type, its statistics and its name.
 * Numeric codes with few values are categorical; ISO strings are datetimes; unique short codes
 * with identifier names are ids.
 */
export function inferSemanticType(c: SemanticInput): SemanticGuess {
  const name = normaliseName(c.name);
  const pattern = (k: string) => c.patterns?.[k] ?? 0;
  const ratio = c.nonNull === 0 ? 0 : c.distinct / c.nonNull;
  const guess = (semanticType: SemanticType, confidence: number, ...evidence: string[]): SemanticGuess => ({
    semanticType,
    confidence,
    evidence,
  });

  if (c.nonNull === 0) return guess('text', 0.2, 'no values: all null');
  if (c.logicalType === 'boolean') return guess('boolean', 0.99, 'boolean type');
  if (
    c.distinct <= 2 &&
    c.sampleLevels.length > 0 &&
    c.sampleLevels.every((v) => BOOLEAN_LEVELS.has(v.toLowerCase()))
  ) {
    return guess('boolean', 0.9, `two values: ${c.sampleLevels.join(', ')}`);
  }
  if (isTemporalType(c.logicalType)) return guess('datetime', 0.98, `${c.logicalType} type`);
  if (c.logicalType === 'time') return guess('categorical', 0.5, 'time of day');
  if (c.logicalType === 'interval') return guess('numeric', 0.7, 'interval type');
  if (isNumericType(c.logicalType)) {
    if (
      c.logicalType === 'integer' &&
      idLikeName(c.name) &&
      !sequenceLikeName(c.name) &&
      !QUANTITY_NAME.test(name) &&
      !CODE_NAME.test(name)
    ) {
      if (c.unique) return guess('id', 0.95, 'unique and not null', 'name reads like an identifier');
      if (c.distinct >= 20) return guess('id', 0.8, 'name reads like an identifier', `${c.distinct} distinct integers`);
    }
    if (CODE_NAME.test(name))
      return guess('categorical', 0.8, 'name reads like a code or category', `${c.distinct} distinct values`);
    if (c.logicalType === 'integer' && c.distinct <= 10 && !QUANTITY_NAME.test(name)) {
      return guess('categorical', 0.7, `integer with only ${c.distinct} distinct values`);
    }
    return guess(
      'numeric',
      c.logicalType === 'integer' ? 0.85 : 0.95,
      `${c.logicalType} type`,
      `${c.distinct} distinct values`,
    );
  }
  if (c.logicalType !== 'string') return guess('text', 0.5, `${c.logicalType} values`);

  // Text columns from here on.
  if (pattern('datetime') + pattern('date') >= 0.95)
    return guess('datetime', 0.9, `${pct(pattern('datetime') + pattern('date'))} of values are dates or timestamps`);
  if (pattern('uuid') >= 0.95) return guess('id', 0.95, `${pct(pattern('uuid'))} of values are UUIDs`);
  const short = (c.length?.max ?? 0) <= 40;
  const codeLike = pattern('code') + pattern('digits') + pattern('alpha') >= 0.9;
  if (c.unique && short && (idLikeName(c.name) || (codeLike && !c.pii))) {
    return guess(
      'id',
      0.9,
      'unique and not null',
      idLikeName(c.name) ? 'name reads like an identifier' : 'short codes',
    );
  }
  if (idLikeName(c.name) && short && codeLike && c.distinct >= 20 && !CODE_NAME.test(name)) {
    return guess('id', 0.75, 'name reads like an identifier', `${c.distinct} distinct short codes`);
  }
  if (c.pii === 'email' && c.unique) return guess('id', 0.7, 'unique email addresses');
  if ((c.numericTextShare ?? 0) >= 0.95)
    return guess('numeric', 0.6, `${pct(c.numericTextShare ?? 0)} of values are numbers stored as text`);
  const meanLength = c.length?.mean ?? 0;
  const wordy = pattern('words') >= 0.5 && meanLength > 25;
  if (!wordy && (c.distinct <= 50 || (ratio <= 0.05 && meanLength <= 30)) && !c.pii) {
    return guess('categorical', c.distinct <= 50 ? 0.9 : 0.75, `${c.distinct} distinct values`);
  }
  if (CODE_NAME.test(name))
    return guess('categorical', 0.7, 'name reads like a code or category', `${c.distinct} distinct values`);
  if (wordy) return guess('text', 0.85, `free text: mean length ${meanLength}`);
  return guess('text', c.pii ? 0.8 : 0.6, `${c.distinct} distinct values in ${c.nonNull} rows`);
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
