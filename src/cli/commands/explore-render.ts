import type { Catalog, ExploreOutcome } from '../../index.js';
import { table } from '../output.js';

const cols = (c: readonly string[]): string => (c.length === 1 ? c[0]! : `(${c.join(', ')})`);

/** The `fathom explore --json` document: what ran, and the inferred structure. */
export function exploreSummary(outcome: ExploreOutcome, catalog: Catalog) {
  return {
    profiled: outcome.profiled,
    reused: outcome.reused,
    relationshipsReused: outcome.relationshipsReused,
    // Full profiles (the catalog's per-table sections plus logical types), with reuse flags.
    profiles: outcome.profiles,
    relationships: catalog.relationships,
    targets: catalog.targets,
    findings: catalog.findings ?? [],
    metadataVersion: catalog.metadataVersion ?? 0,
    roundTwo: outcome.roundTwo && { reused: outcome.roundTwo.reused, ...outcome.roundTwo.value },
  };
}

export function renderExplore(outcome: ExploreOutcome, catalog: Catalog): string {
  const out: string[] = [];
  out.push(
    table(
      ['table', 'rows', 'cols', 'key', 'time index', 'PII', 'alerts', ''],
      outcome.profiles.map((p) => [
        `${p.source}.${p.table}`,
        String(p.rows),
        String(p.columns.length),
        p.primaryKey ? `${cols(p.primaryKey.columns)} ${p.primaryKey.confidence}` : '-',
        p.timeIndex?.column ?? '-',
        p.columns
          .filter((c) => c.pii)
          .map((c) => c.name)
          .join(', ') || '-',
        String(p.columns.reduce((n, c) => n + c.alerts.length, p.alerts.length)),
        p.reused ? 'reused' : 'profiled',
      ]),
    ),
  );
  out.push('');
  if (catalog.relationships.length > 0) {
    out.push('Relationships (child -> parent, confidence, coverage):');
    for (const r of catalog.relationships)
      out.push(
        `  ${r.from.table}.${cols(r.from.columns)} -> ${r.to.table}.${cols(r.to.columns)}  ${r.confidence}  ${(r.coverage * 100).toFixed(1)}%${r.status === 'suggested' ? '' : `  [${r.status}]`}`,
      );
  } else out.push('No relationships between tables found.');
  if (catalog.targets.length > 0) {
    out.push('', 'Target candidates:');
    for (const t of catalog.targets)
      out.push(
        `  ${t.table}.${t.column} (${t.kind}) ${t.confidence}${t.status === 'suggested' ? '' : `  [${t.status}]`}`,
      );
  }
  const two = outcome.roundTwo;
  if (two) {
    out.push(
      '',
      `Round two (target ${two.value.target.table}.${two.value.target.column}, metadata v${two.value.metadataVersion}):`,
    );
    for (const f of two.value.findings) out.push(`  - ${f}`);
  }
  const round = two ? `; round two ${two.reused ? 'reused' : 'ran'}` : '';
  out.push(
    '',
    `${outcome.profiles.length} tables: ${outcome.profiled} profiled, ${outcome.reused} reused; relationships ${outcome.relationshipsReused ? 'reused' : 'inferred'}${round}.`,
  );
  out.push(
    two
      ? 'Next: fathom report --open (round two has its own section), fathom train'
      : 'Next: fathom review (confirm a target and the keys; then explore again for round two), fathom catalog, fathom report --open',
  );
  return out.join('\n');
}
