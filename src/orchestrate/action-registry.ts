import { FathomError } from '../util/fathom-error.js';
import type { ActionKind } from './action-kind.js';

/**
 * Kind name -> ActionKind, so a worker on any machine finds the code for a queued action by
 * its name. Modules that define kinds register them when imported; `fathom worker` imports
 * the built-in ones and any `--import MODULE` given. Queued params are self-contained, so
 * the kind needs nothing from the process that planned the action.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const kinds = new Map<string, ActionKind<any, any>>();

/** Register a kind (idempotent for the same object); returns it, for `export const k = register(…)`. */
export function registerActionKind<P, O>(kind: ActionKind<P, O>): ActionKind<P, O> {
  const known = kinds.get(kind.kind);
  if (known !== undefined && known !== kind && known.version !== kind.version) {
    throw new FathomError(
      'failed',
      `action kind ${kind.kind} is registered twice, as version ${known.version} and ${kind.version}`,
      {
        hint: 'two copies of the module that defines it are loaded; import it from one place',
      },
    );
  }
  kinds.set(kind.kind, kind);
  return kind;
}

/** The registered kind, or a not_found error naming it and saying how to make it known. */
export function registeredActionKind(name: string): ActionKind<unknown, unknown> {
  const kind = kinds.get(name);
  if (kind === undefined) {
    const known = [...kinds.keys()].sort();
    throw new FathomError(
      'not_found',
      `no action kind '${name}' is registered in this worker (known: ${known.join(', ') || 'none'})`,
      {
        hint: 'start the worker with --import MODULE for the module that registers it, or upgrade Fathom on this machine',
      },
    );
  }
  return kind as ActionKind<unknown, unknown>;
}

export function registeredKindNames(): string[] {
  return [...kinds.keys()].sort();
}
