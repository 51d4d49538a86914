import type { Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { addRunOptions, runRequest, type RunFlags } from './run-options.js';
import { badInput, planProject, runGoals, STEPS, type PlanReport } from '../../index.js';

export function registerPlan(program: Command, io: CliIO): void {
  const cmd = program
    .command('plan [data]')
    .description(
      'Show the DAG of work that fathom run would do, each node with its state and why it is stale, without running anything',
    );
  addRunOptions(cmd)
    .option('--json', 'print every node (id, step, kind, state, reason, deps, fingerprint) as JSON')
    .addHelpText(
      'after',
      [
        '',
        'States: reused (done for exactly these inputs), stale (ran before on other inputs: the reason says what',
        'changed), ready (runs now), waiting-for-gate (a person acts first: fathom review, fathom promote),',
        'blocked (waits for nodes upstream). Nodes planned from outputs that a stale node upstream may still change',
        'are marked provisional. Training rounds after the first are planned from the results of the one before.',
        '<data> is what fathom run takes: a connected source (default: the only one) or a location to connect.',
        '',
        'Examples:',
        '  fathom plan                         # the project as it stands: what a run would do now',
        '  fathom plan examples/shop --yes     # before connecting anything',
        '  fathom plan --json | jq \'.nodes[] | select(.state == "stale") | {id, reason}\'',
      ].join('\n'),
    )
    .action(async (data: string | undefined, opts: RunFlags, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const only = Object.keys(ws.config.sources);
        const source = data ?? (only.length === 1 ? only[0]! : undefined);
        if (source === undefined) {
          throw badInput(
            only.length === 0
              ? 'Nothing is connected yet: name the data to plan for'
              : `Several sources are connected (${only.join(', ')}): name one`,
            only.length === 0 ? 'e.g. fathom plan examples/shop' : `e.g. fathom plan ${only[0]}`,
          );
        }
        const { goals, connect } = runGoals(ws, runRequest(source, opts), io.cwd);
        const report = await planProject(ws, { cwd: io.cwd, env: io.env, stdin: io.stdin }, goals, connect);
        emit(io, opts.json, report, () => render(report));
      });
    });
}

function render(r: PlanReport): string {
  const lines: string[] = [];
  for (const step of STEPS) {
    const mine = r.nodes.filter((n) => n.step === step);
    if (mine.length === 0) continue;
    lines.push(`${step}:`);
    // Many trials read better as one line per state.
    const trials = mine.filter((n) => n.kind === 'learn.trial');
    const rest = mine.filter((n) => n.kind !== 'learn.trial');
    const rows = rest.map((n) => [`  ${n.id}`, `${n.state}${n.provisional ? '*' : ''}`, n.reason ?? '']);
    const byState = new Map<string, number>();
    for (const t of trials) byState.set(t.state, (byState.get(t.state) ?? 0) + 1);
    if (trials.length > 0) {
      const first = trials.find((t) => t.state !== 'reused') ?? trials[0]!;
      rows.splice(rows.findIndex((x) => x[0]!.includes('learn.search')) >>> 0, 0, [
        `  learn.trial ×${trials.length}`,
        [...byState].map(([s, n]) => `${n} ${s}`).join(', '),
        first.reason ?? '',
      ]);
    }
    lines.push(table(['node', 'state', 'why'], rows));
  }
  const c = r.counts;
  lines.push(
    '',
    `${r.nodes.length} nodes at ledger entry ${r.headSeq}: ${c.reused} reused, ${c.stale} stale, ${c.ready} ready, ${c['waiting-for-gate']} waiting for a person, ${c.blocked} blocked; ${r.runnable} would run now.`,
  );
  if (r.nodes.some((n) => n.provisional))
    lines.push('* provisional: planned from outputs a stale node upstream may still change.');
  lines.push(r.runnable > 0 || c.stale > 0 || c.ready > 0 ? 'fathom run does it.' : 'Nothing to do.');
  return lines.join('\n');
}
