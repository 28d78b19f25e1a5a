import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attrUrl, escapeHtml, html, raw, REFUSED_URL, SafeHtml, type HtmlValue } from './html.ts';
import { HOSTILE, tags } from '../../testing/pages.ts';

describe('escapeHtml', () => {
  it('escapes the six characters that can end text or a quoted attribute', () => {
    assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
  });

  it('leaves other text, including non-ASCII and bidi controls, as it is', () => {
    const text = 'Ünïcødé 日本語 😀 \u202e \u2028 tab\tnew\nline';
    assert.equal(escapeHtml(text), text);
  });
});

describe('html``', () => {
  it('escapes interpolated strings in text', () => {
    assert.equal(html`<p>${'"><script>alert(1)</script>'}</p>`.__html, '<p>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('keeps a hostile value inside the quoted attribute it was put in', () => {
    const out = html`<input name="q" value="${HOSTILE}"><a title='${HOSTILE}' href="/x">x</a>`.__html;
    const [input, a] = tags(out);
    assert.equal(tags(out).length, 2);
    assert.deepEqual([...input!.attrs.keys()], ['name', 'value']);
    assert.equal(input!.attrs.get('value'), HOSTILE);
    assert.deepEqual([...a!.attrs.keys()], ['title', 'href']);
    assert.equal(a!.attrs.get('title'), HOSTILE);
  });

  it('inserts SafeHtml as it is, and nests', () => {
    const inner = html`<b>${'<i>'}</b>`;
    assert.equal(html`<p>${inner}</p>`.__html, '<p><b>&lt;i&gt;</b></p>');
  });

  it('joins arrays, escaping string members and keeping SafeHtml members', () => {
    const items: HtmlValue[] = [html`<li>a</li>`, '<li>', [html`<li>b</li>`, null]];
    assert.equal(html`<ul>${items}</ul>`.__html, '<ul><li>a</li>&lt;li&gt;<li>b</li></ul>');
  });

  it('renders undefined, null and false as nothing, but 0 as 0', () => {
    assert.equal(html`[${undefined}${null}${false}${0}${10n}]`.__html, '[010]');
  });

  it('escapes numbers and strings alike, and converts other objects to escaped text', () => {
    const sneaky = { toString: () => '<script>' } as unknown as string;
    assert.equal(html`${sneaky}`.__html, '&lt;script&gt;');
  });

  it('does not trust a look-alike object', () => {
    const forged = { __html: '<script>alert(1)</script>' } as unknown as SafeHtml;
    assert.equal(html`${forged}`.__html, '[object Object]');
  });

  it('cannot be constructed from outside the module', () => {
    const Ctor = SafeHtml as unknown as new (key: unknown, value: string) => SafeHtml;
    assert.throws(() => new Ctor(Symbol('SafeHtml'), '<script>'), TypeError);
  });

  it('is frozen', () => {
    const value = html`<p>x</p>`;
    assert.throws(() => {
      (value as { __html: string }).__html = '<script>';
    }, TypeError);
  });

  it('stringifies to its markup', () => {
    assert.equal(String(raw('<hr>')), '<hr>');
    assert.equal(`${html`<br>`}`, '<br>');
  });
});

describe('attrUrl', () => {
  const allowed = [
    'https://signin.example.com/v1/authorize?x=1',
    'http://127.0.0.1:53037/oauth/callback',
    '/console/signin',
    '?mode=iam',
    '#top',
    'relative/path',
    '',
    '//cdn.example.com/x',
  ];
  for (const url of allowed) {
    it(`allows ${JSON.stringify(url)}`, () => assert.equal(attrUrl(url).__html, escapeHtml(url)));
  }

  const refused = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'blob:https://example.com/uuid',
    'http://[not-an-ip/',
  ];
  for (const url of refused) {
    it(`refuses ${JSON.stringify(url)}`, () => assert.equal(attrUrl(url).__html, REFUSED_URL));
  }

  it('escapes quotes and ampersands in an allowed URL', () => {
    const out = html`<a href="${attrUrl('/x?a=1&b="><script>')}">x</a>`.__html;
    assert.equal(out, '<a href="/x?a=1&amp;b=&quot;&gt;&lt;script&gt;">x</a>');
    assert.equal(tags(out)[0]!.attrs.get('href'), '/x?a=1&b="><script>');
  });

  it('is not escaped twice when interpolated', () => {
    assert.equal(html`${attrUrl('/a?b=1&c=2')}`.__html, '/a?b=1&amp;c=2');
  });
});
