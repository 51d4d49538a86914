import { describeDecision, type Recorded } from '../../index.js';

/** "recorded as metadata v3 (ledger entry 41): …, was …" */
export function renderRecorded(r: Recorded): string {
  if (r.changes.length === 0) return `nothing changed: every decision was already recorded (metadata v${r.version})`;
  const lines = [
    `recorded ${r.changes.length} decision${r.changes.length === 1 ? '' : 's'} as metadata v${r.version} (ledger entry ${r.seq}):`,
  ];
  for (const c of r.changes) lines.push(`  ${c.description}${c.old ? ` (was: ${describeDecision(c.old)})` : ''}`);
  return lines.join('\n');
}
