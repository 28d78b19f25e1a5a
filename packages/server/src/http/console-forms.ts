// What every console route shares: reading the query, the one check every form POST passes
// (browser cookie, CSRF token, no foreign Origin), error pages, and the only places a sign-in may
// return to.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorPage } from '../console/views/index.ts';
import { browserOf, csrfValid, type BrowserIdentity } from './browser.ts';
import { sendHtml } from './html-reply.ts';

import { AUTHORIZE_PATH } from '../authorize/endpoint.ts';

export { AUTHORIZE_PATH };

/** Only a path back into /v1/authorize (or the console) may follow sign-in: no open redirect. */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 4096) return undefined;
  return value.startsWith(`${AUTHORIZE_PATH}?`) || value === '/console' ? value : undefined;
}

/**
 * Every value of every query parameter. A null-prototype record: a client names the keys, so
 * `constructor` or `__proto__` must be a parameter like any other, not Object's (issue 14).
 */
export function queryValues(request: FastifyRequest): Record<string, string[]> {
  const query: Record<string, string[]> = Object.create(null);
  const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  for (const [key, value] of new URLSearchParams(search)) (query[key] ??= []).push(value);
  return query;
}

export const clip = (value: string | undefined) => (value === undefined ? undefined : value.slice(0, 256));

/** An error page: the one way the console shows a failure that is not a form's inline error. */
export const errorReply = (reply: FastifyReply, status: number, title: string, message: string, requestId?: string): FastifyReply =>
  sendHtml(reply, status, errorPage({ title, message, requestId }));

export interface FormContext {
  publicUrl: string;
  csrfKey: Buffer;
}

export interface PostedForm {
  browser: BrowserIdentity;
  form: Record<string, string>;
}

/** A POST from one of our own forms: browser cookie, CSRF token, and no foreign Origin; else a 403 page. */
export function postedForm(deps: FormContext, request: FastifyRequest, reply: FastifyReply): PostedForm | undefined {
  const browser = browserOf(request, reply, deps.publicUrl.startsWith('https:'));
  const form = (request.body ?? {}) as Record<string, string>;
  const origin = request.headers.origin;
  if ((origin !== undefined && origin !== 'null' && origin !== deps.publicUrl && !isSameHost(origin, request)) || !csrfValid(deps.csrfKey, browser, form.csrf)) {
    errorReply(reply, 403, 'This form has expired', 'For your security, the form could not be accepted. Go back, reload the page and try again.', request.id);
    return undefined;
  }
  return { browser, form };
}

function isSameHost(origin: string, request: FastifyRequest): boolean {
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
