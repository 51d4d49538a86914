import type { Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { projectStatus, type ProjectStatus, type WorkerStatus } from '../../index.js';

function renderWorker(w: WorkerStatus): string {
  const doing =
    w.running.length === 0
      ? 'idle'
      : w.running.map((r) => `${r.kind} ${r.fingerprint.slice(0, 12)}… (attempt ${r.attempts})`).join(', ');
  return `${w.id} ${w.state} (beat ${w.heartbeatAgeS}s ago)${w.state === 'stopped' ? '' : `: ${doing}`}`;
}

export function registerStatus(program: Command, io: CliIO): void {
  program
    .command('status')
    .option('--json', 'print the status as JSON')
    .description('Answer from the ledger head in O(1): head hash, projection checksum, counts by status, last actions')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const status = await projectStatus(ws);
        emit(io, opts.json, status, () => render(status));
      });
    });
}

function render(status: ProjectStatus): string {
  const { review, features, models, serving, queue, lastRun } = status;
  const run = !lastRun
    ? 'none yet (fathom run DATA)'
    : lastRun.stoppedAt
      ? `entry ${lastRun.seq}: waits at ${lastRun.stoppedAt} for a person: ${lastRun.reason ?? ''}`
      : `entry ${lastRun.seq}: done${lastRun.model ? ` (${lastRun.model})` : ''}${lastRun.nothingRan ? ', nothing had changed' : ''}`;
  const counts =
    Object.entries(status.head.countsByStatus)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const recent = status.recent.map((e) => [
    String(e.seq),
    e.at.slice(0, 19).replace('T', ' '),
    e.kind,
    e.status,
    e.summary,
  ]);
  return [
    `project   ${status.project}  (${status.root})`,
    `ledger    ${status.head.seq} entries, head ${status.head.hash.slice(0, 16)}…, projection ${status.head.projectionChecksum.slice(0, 16)}…`,
    `actions   ${counts}`,
    `metadata  ${status.metadata}`,
    `last run  ${run}`,
    `review    metadata v${review.metadataVersion}; target ${review.target ?? 'not confirmed yet (fathom review, or fathom tag TABLE.COLUMN --target)'}`,
    `features  ${features ? `${features.synthesized} synthesized, ${features.kept} kept; matrix ${features.rows} x ${features.columns} at metadata v${features.metadataVersion}${features.stale ? ' (metadata changed since: fathom features rebuilds it)' : ''}` : review.target ? 'not built yet (fathom features)' : '-'}`,
    `models    ${models.versions === 0 ? 'none yet (fathom train, or fathom run DATA --yes)' : `${models.versions} version${models.versions === 1 ? '' : 's'}; in production: ${models.production.map((p) => `${p.model} (${p.metric} ${p.value?.toFixed(4) ?? '-'})`).join(', ') || 'none (fathom promote NAME@V production --yes)'}`}`,
    `serving   ${serving.length === 0 ? 'no server recorded as running (fathom serve)' : serving.map((d) => `${d.url} ${d.models.join(', ')} (pid ${d.pid} on ${d.host}, since ${d.since.slice(0, 19).replace('T', ' ')})`).join('\n          ')}`,
    `queue     ${Object.entries(queue.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `workers   ${queue.workers.length === 0 ? 'none (start one with: fathom worker)' : queue.workers.map(renderWorker).join('\n          ')}`,
    `sources   ${status.sources.length === 0 ? 'none yet (fathom connect NAME LOCATION)' : status.sources.map((s) => `${s.name} (${s.kind}, ${s.tables} tables)`).join(', ')}`,
    '',
    recent.length ? table(['seq', 'at (UTC)', 'kind', 'status', 'detail'], recent) : 'no actions yet',
  ].join('\n');
}
