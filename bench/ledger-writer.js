// Child of bench/ledger.js: opens the ledger, says 'ready', appends `count` entries on 'go',
// then reports its elapsed time. argv: store spec (JSON), worker id, count.
import { openStore } from './ledger-stores.js';

const [spec, id, count] = process.argv.slice(2);
const store = await openStore(JSON.parse(spec));
process.once('message', async () => {
  for (let i = 0; i < Number(count); i++) {
    await store.append({
      kind: 'bench.append',
      status: 'succeeded',
      fingerprint: i.toString(16).padStart(64, '0'),
      workerId: id,
      params: { i },
      patches: [{ collection: 'bench', key: `${id}-${i % 100}`, value: { i } }],
    });
  }
  await store.close();
  process.send('done', () => process.disconnect());
});
process.send('ready');
