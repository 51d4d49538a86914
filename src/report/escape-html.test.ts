import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anchorId, escapeHtml, jsonForScript } from './escape-html.js';

test('escapeHtml escapes every character that can open a tag or end an attribute', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&amp;</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
  );
  assert.equal(escapeHtml('Müller ✓'), 'Müller ✓');
});

test('jsonForScript cannot close its script element and round-trips', () => {
  const value = { name: '</script><script>alert(1)</script>', c: '<!-- x -->', ls: '\u2028\u2029', amp: 'a&b' };
  const json = jsonForScript(value);
  assert.ok(!/<\/script/i.test(json) && !json.includes('<!--') && !json.includes('\u2028'));
  assert.deepEqual(JSON.parse(json), value);
});

test('anchorId gives distinct, HTML-safe ids for names that differ only in punctuation', () => {
  const names = ['a.b', 'a_2eb', 'a_b', 'a b', 'a-b', 'ä', '"x"', 'a__b', ''];
  const ids = names.map((n) => anchorId('src', n));
  assert.equal(new Set(ids).size, names.length);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]+$/);
  assert.notEqual(anchorId('a', 'b_c'), anchorId('a_b', 'c'));
});
