import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprintFile } from './file-fingerprint.js';
import { discover, fixtureDir } from '../connect/files-kit.fixture.js';

const later = () => new Date(Date.now() + 60_000 + Math.random() * 60_000);

async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31; // '1' <-> '2': same size, still valid CSV
  await writeFile(path, bytes);
}

describe('file fingerprint', () => {
  it('changes when one byte changes, and stays when the file is only touched', async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `${i},1`).join('\n');
    const dir = await fixtureDir({ 'f.csv': `a,b\n${lines}\n` });
    const path = join(dir, 'f.csv');
    const first = await fingerprintFile(path);
    assert.equal(first.method, 'full');
    await utimes(path, later(), later());
    assert.equal((await fingerprintFile(path)).fingerprint, first.fingerprint, 'touch alone is not a change');
    await flipByte(path, (await readFile(path)).indexOf(',1', first.size / 2) + 1);
    assert.equal((await fingerprintFile(path)).size, first.size);
    assert.notEqual((await fingerprintFile(path)).fingerprint, first.fingerprint, 'a byte in the middle counts');
  });

  it('samples big files; sampled fingerprints see edits in a window, and count a touch', async () => {
    const dir = await fixtureDir({ 'big.csv': 'a\n' + '1\n'.repeat(600_000) });
    const path = join(dir, 'big.csv');
    const options = { fullHashLimit: 100_000 };
    const first = await fingerprintFile(path, options);
    assert.equal(first.method, 'sampled');
    assert.equal((await fingerprintFile(path, options)).fingerprint, first.fingerprint, 'stable');
    await flipByte(path, first.size - 10); // a '1' inside the last window
    const edited = await fingerprintFile(path, options);
    assert.notEqual(edited.fingerprint, first.fingerprint);
    await utimes(path, later(), later());
    assert.notEqual(
      (await fingerprintFile(path, options)).fingerprint,
      edited.fingerprint,
      'mtime counts when sampling',
    );
  });

  it('makes table fingerprints follow the data and the reading options', async () => {
    const dir = await fixtureDir({ 't.csv': 'a;b\n1;2\n' });
    const path = join(dir, 't.csv');
    const [base] = await discover(path);
    await utimes(path, later(), later());
    assert.equal((await discover(path))[0]?.fingerprint, base?.fingerprint, 'touch: same table fingerprint');
    assert.notEqual((await discover(path, { delimiter: ',' }))[0]?.fingerprint, base?.fingerprint, 'options count');
    await writeFile(path, 'a;b\n1;3\n');
    assert.notEqual((await discover(path))[0]?.fingerprint, base?.fingerprint, 'data counts');
  });
});
