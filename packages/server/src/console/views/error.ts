// Errors shown as a page rather than a redirect: unknown client or bad redirect URI at
// /v1/authorize (RFC 6749 §4.1.2.1: never redirect to an unverified URI), CSRF failures, 404s.
import { attrUrl, html } from './html.ts';
import { layout } from './layout.ts';

export interface ErrorPageModel {
  title: string;
  message: string;
  detail?: string;
  /** Shown small, for support to find the log line. */
  requestId?: string;
  /** Where to go from here, instead of the console (e.g. back to the sign-in a CLI is waiting on). */
  next?: { href: string; label: string };
}

export function errorPage({ title, message, detail, requestId, next }: ErrorPageModel): string {
  const body = html`<h1>${title}</h1>
<p>${message}</p>
${detail && html`<p class="small">${detail}</p>`}
<p><a href="${next ? attrUrl(next.href) : '/console'}">${next ? next.label : 'Go to the Keyless console'}</a></p>
${requestId && html`<p class="request-id">Request ID: <code>${requestId}</code></p>`}`;
  return layout({ title, body });
}
