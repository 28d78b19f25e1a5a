// The one way console pages build HTML: an `html` tagged template that escapes every interpolated
// value unless it is already `SafeHtml`. This is the guarantee that nothing a request carries
// (return_to, authorize params, names, error text) is reflected unescaped.
//
// Rules for callers: interpolate only into text or into *quoted* attribute values, never into tag
// names, attribute names, `<script>` or `<style>` (the CSP forbids inline ones anyway). URLs in
// `href` go through `attrUrl()`, which also rejects `javascript:` and other schemes.

/** Known only to this module, so a `SafeHtml` cannot be forged (not even from parsed JSON). */
const trusted: unique symbol = Symbol('SafeHtml');

/** HTML that is safe to send as is: produced by `html`, `raw` or `attrUrl`. */
export class SafeHtml {
  readonly __html: string;

  constructor(key: typeof trusted, value: string) {
    if (key !== trusted) throw new TypeError('SafeHtml is created only by html``, raw() or attrUrl()');
    this.__html = value;
    Object.freeze(this);
  }

  toString(): string {
    return this.__html;
  }
}

/** What may be interpolated. `null`, `undefined` and `false` render as nothing, so `${cond && html`…`}` works. */
export type HtmlValue = SafeHtml | string | number | bigint | false | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Backticks closed attributes in old IE; cheap to keep out.
  '`': '&#96;',
};

/** Escapes text for use in HTML text or in a quoted attribute value. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"'`]/g, (char) => ENTITIES[char] ?? char);

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.__html;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html`<p>${untrusted}</p>``. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(trusted, out);
}

/** Marks a *constant* as HTML. Never pass it anything derived from a request. */
export const raw = (constant: string): SafeHtml => new SafeHtml(trusted, constant);

/** What `attrUrl` renders in place of a URL it refuses. */
export const REFUSED_URL = '#';

/**
 * A URL for an `href`/`action` attribute: http(s) absolute URLs and relative references only.
 * Parsed with the WHATWG URL parser, as the browser will, so `java\tscript:`, ` javascript:` and
 * `JAVASCRIPT:` are recognised for what they are; `data:`, `vbscript:` and the rest are refused too.
 * A refused URL renders as `#`.
 */
export function attrUrl(url: string): SafeHtml {
  let protocol: string;
  try {
    protocol = new URL(url, 'https://relative.invalid/').protocol;
  } catch {
    return new SafeHtml(trusted, REFUSED_URL);
  }
  const allowed = protocol === 'https:' || protocol === 'http:';
  return new SafeHtml(trusted, allowed ? escapeHtml(url) : REFUSED_URL);
}
