// The page shell every console page shares. No inline style or script anywhere: the server sends
// `default-src 'none'; style-src 'self'; script-src 'self'; …`, so both come from /console/assets.
import { CONSOLE_CSS_PATH, CONSOLE_JS_PATH } from '../assets/paths.ts';
import { attrUrl, html, raw, type SafeHtml } from './html.ts';

export interface LayoutModel {
  /** The page's own title; the document title is "<title> · Keyless". */
  title: string;
  /** The content of the main card. */
  body: SafeHtml;
  /** Load /console/assets/console.js (only pages with a copy button need it). */
  script?: boolean;
  /** Navigate here at once: a new navigation, not the end of a form submission's redirect chain. */
  refreshTo?: string;
}

// A key, drawn with presentation attributes only (a `style` attribute would break the CSP).
const BRAND_MARK = raw(
  '<svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M14.5 3a6.5 6.5 0 0 0-6.18 8.52L3 16.83V21h4.17v-2h2v-2h2l1.79-1.79A6.5 6.5 0 1 0 14.5 3Zm1.75 3.5a1.75 1.75 0 1 1 0 3.5 1.75 1.75 0 0 1 0-3.5Z"/>' +
    '</svg>',
);

/** A whole document. */
export function layout({ title, body, script = false, refreshTo }: LayoutModel): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
${refreshTo && html`<meta http-equiv="refresh" content="0;url=${attrUrl(refreshTo)}">`}
<title>${title} · Keyless</title>
<link rel="stylesheet" href="${CONSOLE_CSS_PATH}">
${script && html`<script src="${CONSOLE_JS_PATH}" defer></script>`}
</head>
<body>
<header class="site-header"><a class="brand" href="/console">${BRAND_MARK}<span>Keyless</span></a></header>
<main class="card">
${body}
</main>
<footer class="site-footer"><p>Keyless · sign-in for the AWS CLI and SDKs</p></footer>
</body>
</html>
`.__html;
}
