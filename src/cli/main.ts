import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { processIO, reportError, type CliIO } from './output.js';
import { registerInit } from './commands/init-command.js';
import { registerConnect } from './commands/connect-command.js';
import { registerSources } from './commands/sources-command.js';
import { registerStatus } from './commands/status-command.js';
import { registerLog } from './commands/log-command.js';
import { registerVerify } from './commands/verify-command.js';
import { registerExplore } from './commands/explore-command.js';
import { registerWorker } from './commands/worker-command.js';
import { registerCatalog } from './commands/catalog-command.js';
import { registerReport } from './commands/report-command.js';
import { registerTrain } from './commands/train-command.js';
import { registerFeatures } from './commands/features-command.js';
import { registerReplay } from './commands/replay-command.js';
import { registerReview } from './commands/review-command.js';
import { registerTag } from './commands/tag-command.js';
import { registerMetadata } from './commands/metadata-command.js';
import { registerModels } from './commands/models-command.js';
import { registerPromote } from './commands/promote-command.js';
import { registerRun } from './commands/run-command.js';
import { registerPlan } from './commands/plan-command.js';
import { registerPredict } from './commands/predict-command.js';
import { registerMonitor } from './commands/monitor-command.js';
import { registerServe } from './commands/serve-command.js';

const HELP_AFTER = `
Start here:
  fathom init my-project && cd my-project
  fathom connect shop ../examples/shop        # a folder of CSV files becomes one source
  fathom explore                              # profile every table (one ledger action each)
  fathom report --open                        # the exploration as one HTML page
  fathom status && fathom log && fathom verify

Every command that reports takes --json (one JSON document on stdout; progress on stderr).
Exit codes: 0 ok, 1 failed, 2 bad usage or bad input.`;

function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/** Build the command tree. Commands are thin: parse, call the library, print. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('fathom')
    .description(
      'Radical automation for data science: connect data, explore it, confirm what it means, model it — every action recorded in a hash-chained ledger.',
    )
    .version(packageVersion(), '-V, --version', 'print the Fathom version')
    .option('-C, --project <dir>', 'project folder (default: the nearest folder above with fathom.yaml)')
    .option('--debug', 'show stack traces and debug logs')
    .option('-q, --quiet', 'no progress output on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  registerInit(program, io);
  registerRun(program, io);
  registerPlan(program, io);
  registerConnect(program, io);
  registerSources(program, io);
  registerExplore(program, io);
  registerCatalog(program, io);
  registerReport(program, io);
  registerReview(program, io);
  registerTag(program, io);
  registerMetadata(program, io);
  registerFeatures(program, io);
  registerReplay(program, io);
  registerTrain(program, io);
  registerModels(program, io);
  registerPromote(program, io);
  registerPredict(program, io);
  registerMonitor(program, io);
  registerServe(program, io);
  registerStatus(program, io);
  registerLog(program, io);
  registerVerify(program, io);
  registerWorker(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Run the CLI and return the exit code (0 ok, 1 failed, 2 bad usage or input). */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    const debug = Boolean(program.opts().debug) || io.env.FATHOM_LOG_LEVEL === 'debug';
    return reportError(io, err, debug, argv.includes('--json'));
  }
}
