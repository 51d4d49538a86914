import type { Workspace } from '../workspace/open-workspace.js';

/** The projection of where models are served: key = the server's URL. */
export const DEPLOYMENTS = 'deployments';
export const SERVE_KIND = 'deploy.serve';

export interface Deployment {
  readonly url: string;
  /** NAME@VERSION of every model the server answers for. */
  readonly models: readonly string[];
  readonly auth: boolean;
  readonly status: 'serving' | 'stopped';
  readonly since: string;
  readonly by: string;
  readonly pid: number;
  readonly host: string;
}

/**
 * Record that a server started or stopped serving models (a ledger entry and the `deployments`
 * projection), so `fathom status` and any worker can see what is live where. A server killed
 * without its shutdown still reads `serving`: the pid and host say where to look.
 */
export async function recordDeployment(
  ws: Workspace,
  d: Omit<Deployment, 'since'>,
  detail: Record<string, unknown> = {},
): Promise<Deployment> {
  const value: Deployment = { ...d, since: new Date().toISOString() };
  await (
    await ws.ledger()
  ).append({
    kind: SERVE_KIND,
    status: 'recorded',
    workerId: ws.config.workerId,
    params: { url: d.url, status: d.status },
    detail: { ...value, ...detail },
    patches: [{ collection: DEPLOYMENTS, key: d.url, value }],
  });
  return value;
}

export async function listDeployments(ws: Workspace): Promise<Deployment[]> {
  return (await (await ws.ledger()).listState<Deployment>(DEPLOYMENTS)).map((r) => r.value);
}
