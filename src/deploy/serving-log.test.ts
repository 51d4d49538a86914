import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { ServingLog } from './serving-log.js';
import type { ServedModel } from './served-model.js';

// record() reads the name, version and task; the rest of a served model does not matter to it.
const model = {
  version: { name: 'm.y', version: 3 },
  model: { task: { kind: 'binary', classes: ['n', 'y'] } },
} as unknown as ServedModel;

test('rows logged at the same moment share one file stream: every line is there and no stream is left open once close() returns', async () => {
  await withTempDir('serving-log', async (dir) => {
    const log = new ServingLog(dir);
    const at = new Date('2026-01-02T03:04:05Z');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        log.record(
          model,
          'rows',
          new Map([['email', 'email' as const]]),
          null,
          {
            rows: 1,
            features: [
              { name: 'x', kind: 'numeric', values: Float64Array.of(i) },
              { name: 'email', kind: 'categorical', codes: Int32Array.of(0), categories: ['ann@example.com'] },
            ],
          },
          [{ prediction: 'y', probability: 0.5 + i / 100 }],
          at,
        ),
      ),
    );
    await log.close();
    // One stream was opened and closed: none is left holding the file (Linux shows open files in /proc).
    const file = join(dir, 'm.y', '2026-01-02.ndjson');
    if (existsSync('/proc/self/fd')) {
      const open = readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      });
      assert.deepEqual(open, [], 'no stream is left open on the log file');
    }
    const lines = (await readFile(join(dir, 'm.y', '2026-01-02.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.features.x).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.ok(lines.every((l) => l.features.email === 'a***@e***.com' && l.version === 3 && l.at === at.toISOString()));
  });
});
