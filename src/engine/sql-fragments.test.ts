import assert from 'node:assert/strict';
import { it } from 'node:test';
import { hex4, wordPattern } from './sql-fragments.js';

it('the word pattern splits on exactly the characters JavaScript calls whitespace', () => {
  const nonSpace = new RegExp(`^${wordPattern((c) => `\\u{${hex4(c)}}`)}$`, 'u');
  const differ: string[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCodePoint(c);
    if (nonSpace.test(ch) === /\s/u.test(ch)) differ.push(hex4(c));
  }
  assert.deepEqual(differ, []);
  assert.ok(nonSpace.test('👍🏽'), 'astral characters are word characters');
});
