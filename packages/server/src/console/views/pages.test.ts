// Properties every page must have, checked over all pages rendered from benign and hostile text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONSOLE_CSS_PATH, CONSOLE_JS_PATH } from '../assets/paths.ts';
import { FORM_ACTIONS as FORM_ACTION_LIST } from './components.ts';
import { allPages, forms, HOSTILE, tags, textOf } from '../../testing/pages.ts';

const FORM_ACTIONS = new Set<string>(FORM_ACTION_LIST);
const benign = allPages('benign text');
const hostile = allPages(HOSTILE);

describe('every page', () => {
  benign.forEach(([name, document], index) => {
    const attack = hostile[index]![1];

    describe(name, () => {
      it('is a complete document with the shell', () => {
        assert.match(document, /^<!doctype html>\n<html lang="en">/);
        const all = tags(document);
        const meta = all.filter((tag) => tag.name === 'meta');
        assert.ok(meta.some((tag) => tag.attrs.get('charset') === 'utf-8'));
        assert.ok(meta.some((tag) => tag.attrs.get('name') === 'viewport' && tag.attrs.get('content') === 'width=device-width, initial-scale=1'));
        assert.match(document, /<title>[^<]+ · Keyless<\/title>/);
        assert.ok(all.some((tag) => tag.name === 'link' && tag.attrs.get('rel') === 'stylesheet' && tag.attrs.get('href') === CONSOLE_CSS_PATH));
        for (const part of ['header', 'main', 'footer', 'h1']) assert.equal(all.filter((tag) => tag.name === part).length, 1, part);
      });

      // The CSP (`default-src 'none'; style-src 'self'; script-src 'self'`) blocks inline style
      // and script; a page that relied on them would silently break.
      for (const [label, page] of [['benign', document], ['hostile', attack]] as const) {
        it(`is CSP-compatible (${label} input)`, () => {
          for (const tag of tags(page)) {
            assert.notEqual(tag.name, 'style', 'no <style> element');
            assert.ok(!tag.attrs.has('style'), `no style= on <${tag.name}>`);
            for (const attr of tag.attrs.keys()) assert.ok(!attr.startsWith('on'), `no ${attr}= on <${tag.name}>`);
            assert.deepEqual(tag.unquoted, [], `every attribute of <${tag.name}> is quoted`);
            for (const attr of ['href', 'action', 'src', 'formaction']) {
              const value = tag.attrs.get(attr);
              if (value !== undefined) assert.doesNotMatch(value, /^\s*(javascript|data|vbscript):/i, `${attr} of <${tag.name}>`);
            }
            if (tag.name === 'script') assert.equal(tag.attrs.get('src'), CONSOLE_JS_PATH, 'scripts only from console.js');
          }
          for (const match of page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) assert.equal(match[1], '', 'no inline script');
        });
      }

      it('renders hostile text as text: the same elements, and the text shown as is', () => {
        assert.deepEqual(tags(attack).map((tag) => tag.name), tags(document).map((tag) => tag.name));
        assert.doesNotMatch(attack, /<script>alert|<img src=x|<!--|evil\.example"/);
        if (document.includes('benign text')) assert.ok(textOf(attack).includes(HOSTILE.replace(/\s+/g, ' ').trim()));
      });

      it('posts every form to a console path, with the CSRF token first', () => {
        for (const [label, page, token] of [['benign', document, 'benign text'], ['hostile', attack, HOSTILE]] as const) {
          for (const form of forms(page)) {
            assert.equal(form.method, 'post', label);
            assert.ok(FORM_ACTIONS.has(form.action ?? ''), `${label}: action ${form.action}`);
            assert.deepEqual(form.inputs[0], { name: 'csrf', type: 'hidden', value: token }, label);
            assert.equal(form.inputs.filter((input) => input.name === 'csrf').length, 1, `${label}: one csrf field`);
          }
        }
      });

      it('has unique element ids', () => {
        const ids = tags(document).flatMap((tag) => (tag.attrs.has('id') ? [tag.attrs.get('id')!] : []));
        assert.equal(new Set(ids).size, ids.length);
      });
    });
  });
});
