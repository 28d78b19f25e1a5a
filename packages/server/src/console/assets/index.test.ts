import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Script } from 'node:vm';
import { assetEtag, CONSOLE_ASSETS, CONSOLE_CSS, CONSOLE_CSS_ETAG, CONSOLE_CSS_PATH, CONSOLE_JS, CONSOLE_JS_ETAG, CONSOLE_JS_PATH } from './index.ts';

describe('console assets', () => {
  it('have short, quoted, content-derived ETags', () => {
    for (const etag of [CONSOLE_CSS_ETAG, CONSOLE_JS_ETAG]) assert.match(etag, /^"[A-Za-z0-9_-]{16}"$/);
    assert.equal(assetEtag(CONSOLE_CSS), CONSOLE_CSS_ETAG);
    assert.notEqual(assetEtag(`${CONSOLE_CSS} `), CONSOLE_CSS_ETAG);
  });

  it('are served by path with their content type', () => {
    assert.deepEqual(Object.keys(CONSOLE_ASSETS), [CONSOLE_CSS_PATH, CONSOLE_JS_PATH]);
    assert.equal(CONSOLE_ASSETS[CONSOLE_CSS_PATH]!.contentType, 'text/css; charset=utf-8');
    assert.equal(CONSOLE_ASSETS[CONSOLE_JS_PATH]!.body, CONSOLE_JS);
  });

  it('the script is valid JavaScript and touches the DOM only through textContent', () => {
    assert.doesNotThrow(() => new Script(CONSOLE_JS));
    assert.doesNotMatch(CONSOLE_JS, /innerHTML|outerHTML|insertAdjacentHTML|eval\(|new Function|document\.write/);
    assert.match(CONSOLE_JS, /navigator\.clipboard\.writeText/);
  });

  it('the stylesheet has dark mode, focus rings and wrapping for long ARNs', () => {
    for (const part of ['prefers-color-scheme: dark', ':focus-visible', 'overflow-wrap: anywhere', 'max-width: 28rem']) {
      assert.ok(CONSOLE_CSS.includes(part), part);
    }
    // Balanced braces: a cheap guard against a truncated edit.
    assert.equal(CONSOLE_CSS.split('{').length, CONSOLE_CSS.split('}').length);
  });
});
