import { Document, isMap, isSeq, parseDocument } from 'yaml';
import { z } from 'zod';
import { PII_KINDS, SEMANTIC_TYPES, TARGET_KINDS, type Catalog, type CatalogColumn } from '../catalog/catalog.js';
import { badInput, FathomError } from '../util/fathom-error.js';
import type { ColumnsRef, Decision } from './decision.js';
import { parseSubject } from './resolve-names.js';

const STATUS = z.enum(['suggested', 'confirmed', 'rejected']);
const DECIDED = z.enum(['suggested', 'confirmed']);

const columnSchema = z.strictObject({
  type: z.enum(SEMANTIC_TYPES),
  status: DECIDED,
  confidence: z.number().optional(),
  pii: z.enum(PII_KINDS).nullable().optional(),
  piiStatus: DECIDED.optional(),
  ignore: z.boolean().optional(),
});
const keySchema = z.strictObject({
  columns: z.array(z.string()).min(1),
  status: STATUS,
  confidence: z.number().optional(),
});
const timeSchema = z.strictObject({ column: z.string(), status: STATUS, confidence: z.number().optional() });
const fileSchema = z.strictObject({
  version: z.number().int().nonnegative(),
  tables: z.array(
    z.strictObject({
      name: z.string(),
      source: z.string(),
      primaryKey: keySchema.nullable().optional(),
      timeIndex: timeSchema.nullable().optional(),
      columns: z.record(z.string(), columnSchema),
    }),
  ),
  relationships: z
    .array(
      z.strictObject({
        from: z.string(),
        to: z.string(),
        fromSource: z.string().optional(),
        toSource: z.string().optional(),
        status: STATUS,
        confidence: z.number().optional(),
        coverage: z.number().optional(),
      }),
    )
    .default([]),
  targets: z
    .array(
      z.strictObject({
        column: z.string(),
        source: z.string().optional(),
        kind: z.enum(TARGET_KINDS),
        status: STATUS,
        confidence: z.number().optional(),
      }),
    )
    .default([]),
});
export type MetadataFile = z.infer<typeof fileSchema>;

const HEADER = `Fathom metadata. Review it in git, then record it with: fathom metadata apply FILE
status: suggested = exploration's proposal (applying it changes nothing),
        confirmed = a person's decision (edit a value and set confirmed to correct it),
        rejected  = the proposal is wrong (keys, time indexes, relationships, targets).
Columns: set ignore: true to leave a column out of analysis and modelling.`;

/** The reviewed catalog as an editable YAML document. */
export function exportMetadata(catalog: Catalog): string {
  const column = (c: CatalogColumn): MetadataFile['tables'][number]['columns'][string] => ({
    type: c.semanticType,
    status: c.status === 'confirmed' ? 'confirmed' : 'suggested',
    ...(c.status === 'confirmed' ? {} : { confidence: c.confidence }),
    ...(c.pii ? { pii: c.pii } : {}),
    ...(c.pii || c.piiStatus === 'confirmed'
      ? { piiStatus: c.piiStatus === 'confirmed' ? 'confirmed' : 'suggested' }
      : {}),
    ...(c.ignored ? { ignore: true } : {}),
  });
  const shared = new Set(
    catalog.tables.filter((t, i) => catalog.tables.findIndex((u) => u.name === t.name) !== i).map((t) => t.name),
  );
  const doc: MetadataFile = {
    version: catalog.metadataVersion ?? 0,
    tables: catalog.tables.map((t) => ({
      name: t.name,
      source: t.source,
      primaryKey: t.primaryKey && {
        columns: [...t.primaryKey.columns],
        status: t.primaryKey.status,
        confidence: t.primaryKey.confidence,
      },
      timeIndex: t.timeIndex && {
        column: t.timeIndex.column,
        status: t.timeIndex.status,
        confidence: t.timeIndex.confidence,
      },
      columns: Object.fromEntries(t.columns.map((c) => [c.name, column(c)])),
    })),
    relationships: catalog.relationships.map((r) => ({
      from: `${r.from.table}.${r.from.columns.join(',')}`,
      to: `${r.to.table}.${r.to.columns.join(',')}`,
      ...(shared.has(r.from.table) && r.fromSource ? { fromSource: r.fromSource } : {}),
      ...(shared.has(r.to.table) && r.toSource ? { toSource: r.toSource } : {}),
      status: r.status,
      confidence: r.confidence,
      coverage: r.coverage,
    })),
    targets: catalog.targets.map((t) => ({
      column: `${t.table}.${t.column}`,
      kind: t.kind,
      status: t.status,
      confidence: t.confidence,
    })),
  };
  // One line per fact, so a review in git shows one changed line per decision.
  const d = new Document(doc);
  const flow = (n: unknown) => {
    if (isMap(n) || isSeq(n)) n.flow = true;
  };
  doc.tables.forEach((_table, i) => {
    flow(d.getIn(['tables', i, 'primaryKey'], true));
    flow(d.getIn(['tables', i, 'timeIndex'], true));
    const cols = d.getIn(['tables', i, 'columns'], true);
    if (isMap(cols)) for (const pair of cols.items) flow(pair.value);
  });
  for (const key of ['relationships', 'targets']) {
    const seq = d.get(key, true);
    if (isSeq(seq)) for (const item of seq.items) flow(item);
  }
  const body = d.toString({ lineWidth: 0 });
  return `${HEADER.split('\n')
    .map((l) => `# ${l}`)
    .join('\n')}\n${body}`;
}

/** Parse and check a metadata file's shape; errors name the file, line or field. */
export function parseMetadataFile(text: string, file: string): MetadataFile {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw badInput(
      `${file}${line ? `:${line}` : ''}: invalid YAML: ${first.message.split('\n')[0]}`,
      'Fix the YAML syntax, or export a fresh file with fathom metadata export.',
    );
  }
  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    throw badInput(
      `${file}: ${where || 'top level'}: ${issue.message}`,
      'Compare with a file from fathom metadata export; allowed statuses: suggested, confirmed, rejected.',
    );
  }
  return parsed.data;
}

/**
 * The decisions a file states: every confirmed or rejected entry, and every ignore flag
 * (the file is the truth for ignores). Suggested entries change nothing. Names are checked
 * against the catalog; the first unknown one is the error.
 */
export function decisionsFromFile(f: MetadataFile, catalog: Catalog, file: string): Decision[] {
  const out: Decision[] = [];
  const at = (where: string, run: () => void) => {
    try {
      run();
    } catch (err) {
      if (err instanceof FathomError)
        throw new FathomError(err.kind, `${file}: ${where}: ${err.message}`, {
          ...(err.hint ? { hint: err.hint } : {}),
          cause: err,
        });
      throw err;
    }
  };
  f.tables.forEach((t, i) =>
    at(`tables[${i}] (${t.name})`, () => {
      const { table } = parseSubject(catalog, t.name, t.source);
      const base = { source: table.source, table: table.name };
      if (t.primaryKey && t.primaryKey.status !== 'suggested')
        out.push({ fact: 'primaryKey', ...base, status: t.primaryKey.status, value: t.primaryKey.columns });
      if (t.timeIndex && t.timeIndex.status !== 'suggested')
        out.push({ fact: 'timeIndex', ...base, status: t.timeIndex.status, value: t.timeIndex.column });
      for (const [name, c] of Object.entries(t.columns)) {
        const col = table.columns.find((x) => x.name === name);
        if (!col)
          throw badInput(
            `table ${table.name} has no column ${JSON.stringify(name)}`,
            `Its columns: ${table.columns.map((x) => x.name).join(', ')}.`,
          );
        const ref = { ...base, column: name };
        if (c.status === 'confirmed') out.push({ fact: 'semanticType', ...ref, status: 'confirmed', value: c.type });
        if (c.piiStatus === 'confirmed') out.push({ fact: 'pii', ...ref, status: 'confirmed', value: c.pii ?? null });
        if ((c.ignore ?? false) !== (col.ignored ?? false))
          out.push({ fact: 'ignore', ...ref, status: 'confirmed', value: c.ignore ?? false });
      }
    }),
  );
  const side = (text: string, source: string | undefined): ColumnsRef => {
    const s = parseSubject(catalog, text, source);
    if (s.columns.length === 0)
      throw badInput(
        `${JSON.stringify(text)} names no column`,
        'Write TABLE.COLUMN (or TABLE.A,B for a composite key).',
      );
    return { source: s.table.source, table: s.table.name, columns: s.columns };
  };
  f.relationships.forEach((r, i) =>
    at(`relationships[${i}]`, () => {
      if (r.status !== 'suggested')
        out.push({
          fact: 'relationship',
          status: r.status,
          from: side(r.from, r.fromSource),
          to: side(r.to, r.toSource),
        });
    }),
  );
  f.targets.forEach((t, i) =>
    at(`targets[${i}]`, () => {
      if (t.status === 'suggested') return;
      const s = side(t.column, t.source);
      if (s.columns.length !== 1) throw badInput(`a target is one column, got ${t.column}`, 'Write TABLE.COLUMN.');
      out.push({
        fact: 'target',
        source: s.source,
        table: s.table,
        column: s.columns[0]!,
        status: t.status,
        kind: t.kind,
      });
    }),
  );
  return out;
}
