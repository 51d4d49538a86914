import type { Command } from 'commander';
import type { CliIO } from '../output.js';

export function registerMonitor(_program: Command, _io: CliIO): void {}
