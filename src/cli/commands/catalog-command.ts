import type { Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { catalogDocument, type Catalog } from '../../index.js';

export function registerCatalog(program: Command, io: CliIO): void {
  program
    .command('catalog')
    .option('--json', 'print the catalog document (shared/CATALOG.md shape)')
    .option('--table <name>', 'only this table')
    .description(
      'Print what exploration inferred: per column semantic type, PII, statistics and alerts; keys, relationships and targets',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  fathom catalog\n  fathom catalog --table orders\n  fathom catalog --json > catalog.json',
    )
    .action(async (opts: { json?: boolean; table?: string }, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const doc = await catalogDocument(ws, opts.table !== undefined ? { table: opts.table } : {});
        emit(io, opts.json, doc, () => render(doc));
      });
    });
}

/** What review decided about a column, in a word or two. */
function reviewMark(c: Catalog['tables'][number]['columns'][number]): string {
  const marks = [
    c.ignored ? 'ignored' : '',
    c.status === 'confirmed' ? 'confirmed' : '',
    c.piiStatus === 'confirmed' ? 'pii confirmed' : '',
  ].filter(Boolean);
  return marks.join(', ');
}

function render(c: Catalog): string {
  const out: string[] = [];
  for (const t of c.tables) {
    const status = (f: { status: string } | null) => (f && f.status !== 'suggested' ? ` [${f.status}]` : '');
    out.push(
      `${t.source}.${t.name}: ${t.rows} rows; key ${t.primaryKey ? t.primaryKey.columns.join(' + ') : '-'}${status(t.primaryKey)}; time index ${t.timeIndex?.column ?? '-'}${status(t.timeIndex)}; ${t.sampling ?? ''}`,
    );
    out.push(
      table(
        ['column', 'type', 'semantic', 'conf', 'pii', 'review', 'nulls', 'distinct', 'alerts'],
        t.columns.map((col) => [
          col.name,
          col.physicalType,
          col.semanticType,
          col.confidence.toFixed(2),
          col.pii ?? '',
          reviewMark(col),
          String(col.stats.nulls),
          String(col.stats.distinct),
          col.alerts.map((a) => a.kind).join(', '),
        ]),
      ),
      '',
    );
  }
  if (c.relationships.length > 0) {
    out.push('Relationships:');
    for (const r of c.relationships)
      out.push(
        `  ${r.from.table}(${r.from.columns.join(', ')}) -> ${r.to.table}(${r.to.columns.join(', ')})  confidence ${r.confidence}, coverage ${(r.coverage * 100).toFixed(1)}%  [${r.status}]`,
      );
  }
  if (c.targets.length > 0)
    out.push('Targets:', ...c.targets.map((t) => `  ${t.table}.${t.column} ${t.kind} ${t.confidence} [${t.status}]`));
  if (c.findings && c.findings.length > 0) out.push('', 'Findings:', ...c.findings.map((f) => `  - ${f}`));
  for (const s of c.features ?? []) {
    const kept = s.features.filter((f) => f.status === 'kept').length;
    out.push(
      '',
      `Features for ${s.target.table}.${s.target.column}: ${s.features.length} features, ${kept} kept (depth ${s.depth}; matrix ${s.matrix.rows} rows x ${s.matrix.columns} columns). Lineage: fathom catalog --json, fathom report.`,
    );
  }
  return out.join('\n');
}
