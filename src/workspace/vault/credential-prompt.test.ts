import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { obtainSecret } from './credential-prompt.js';
import { FathomError } from '../../util/fathom-error.js';

const stream = (isTTY: boolean) => Object.assign(new PassThrough(), { isTTY });

describe('obtainSecret', () => {
  it('takes the named env var when set', async () => {
    const secret = await obtainSecret({
      envVar: 'PGPASSWORD',
      prompt: 'Password',
      stdin: stream(false),
      env: { PGPASSWORD: 'pw' },
    });
    assert.equal(secret, 'pw');
  });

  it('fails without a terminal, saying which variable to set', async () => {
    await assert.rejects(
      obtainSecret({
        envVar: 'PGPASSWORD',
        prompt: 'Password for shop',
        stdin: stream(false),
        env: { PGPASSWORD: '' },
      }),
      (err: unknown) => {
        assert.ok(err instanceof FathomError);
        assert.equal(err.kind, 'usage');
        assert.match(err.message, /Password for shop/);
        assert.match(err.hint ?? '', /Set PGPASSWORD/);
        return true;
      },
    );
  });

  it('asks at a terminal, masking the answer', async () => {
    const input = stream(true);
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const answer = obtainSecret({ envVar: 'NOT_SET_X', prompt: 'Password for shop', stdin: input, output, env: {} });
    setTimeout(() => input.write('typed-secret\r'), 50);
    assert.equal(await answer, 'typed-secret');
    assert.match(shown, /Password for shop/);
    assert.doesNotMatch(shown, /typed-secret/);
  });
});
