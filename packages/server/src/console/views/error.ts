// Errors shown as a page rather than a redirect: unknown client or bad redirect URI at
// /v1/authorize (RFC 6749 §4.1.2.1: never redirect to an unverified URI), CSRF failures, 404s.
import { html } from './html.ts';
import { layout } from './layout.ts';

export interface ErrorPageModel {
  title: string;
  message: string;
  detail?: string;
  /** Shown small, for support to find the log line. */
  requestId?: string;
}

export function errorPage({ title, message, detail, requestId }: ErrorPageModel): string {
  const body = html`<h1>${title}</h1>
<p>${message}</p>
${detail && html`<p class="small">${detail}</p>`}
<p><a href="/console">Go to the Keyless console</a></p>
${requestId && html`<p class="request-id">Request ID: <code>${requestId}</code></p>`}`;
  return layout({ title, body });
}
