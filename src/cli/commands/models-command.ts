import type { Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { listModelVersions, versionKey, type ModelVersion } from '../../index.js';

export function registerModels(program: Command, io: CliIO): void {
  program
    .command('models [name]')
    .description('List registered model versions: stage, metrics, the data they came from')
    .option('--json', 'print the versions as JSON')
    .addHelpText(
      'after',
      '\nEvery `fathom train` registers its model as a candidate version.\n\nExamples:\n  fathom models\n  fathom models customers.churned --json\n  fathom promote customers.churned@2 production --yes',
    )
    .action(async (name: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const versions = await listModelVersions(ws, name);
        emit(io, opts.json, { models: versions }, () => render(versions, name));
      });
    });
}

function render(versions: readonly ModelVersion[], name: string | undefined): string {
  if (versions.length === 0)
    return name
      ? `No versions of ${name} are registered.`
      : 'No models are registered yet. Train one: fathom train (or fathom run DATA --yes).';
  return table(
    ['model', 'stage', 'task', 'metric', 'rows', 'inputs', 'registered', 'data'],
    versions.map((v) => [
      versionKey(v.name, v.version),
      v.stage,
      v.task,
      v.metrics[v.metric] ? `${v.metric} ${v.metrics[v.metric]!.mean.toFixed(4)}` : v.metric,
      String(v.data.rows),
      v.scoring ? 'entity keys or features' : 'features',
      `${v.registeredAt.slice(0, 19).replace('T', ' ')} by ${v.registeredBy}`,
      `${v.data.fingerprint.slice(0, 12)}… (metadata v${v.data.metadataVersion ?? '-'})`,
    ]),
  );
}
