// Child process for the multi-process append test: argv = ledger path, worker id, count.
// Reports 'ready' once the ledger is open and appends only on 'go', so the children start
// together and really contend for the write lock. The 1 ms pause between appends matters:
// SQLite's busy handler sleeps waiters for up to 100 ms, so a child appending flat out
// would finish all its appends before the others woke and nothing would interleave.
import { openSqliteLedger } from './sqlite-ledger-store.js';

const [path, workerId, count] = process.argv.slice(2);
if (path === undefined || workerId === undefined || count === undefined || process.send === undefined) {
  throw new Error('usage: fork(concurrent-appender.fixture.js, [ledgerPath, workerId, count])');
}
const store = await openSqliteLedger(path);
process.once('message', async () => {
  for (let i = 0; i < Number(count); i++) {
    await store.append({
      kind: 'test.concurrent',
      status: 'recorded',
      workerId,
      params: { i },
      patches: [
        { collection: 'shared', key: 'last', value: { workerId, i } },
        { collection: 'per-worker', key: workerId, value: i },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await store.close();
  process.disconnect();
});
process.send('ready');
