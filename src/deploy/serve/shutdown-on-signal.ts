/**
 * Close the server on SIGINT or SIGTERM: stop accepting connections, let in-flight requests
 * finish, run the close hooks (serving log flushed, engines closed). Resolves once closed. A
 * second signal while closing calls `force` (a person pressing Ctrl-C again wants out now).
 * `app` is a Fastify server or a serving handle (serveModels), which also records the stop.
 */
export function closeOnSignals(
  app: { close(): PromiseLike<unknown> },
  hooks: { closing?: (signal: string) => void; force?: () => void } = {},
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let closing = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) {
        hooks.force?.();
        return;
      }
      closing = true;
      hooks.closing?.(signal);
      app.close().then(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve();
      }, reject);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
