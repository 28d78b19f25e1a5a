// Test helpers only (imported by *.test.ts): a small tokenizer that reads the tags and attributes
// of a rendered page the way a browser would, and fixtures rendering every page.
import { chooseSessionPage } from '../console/views/choose-session.ts';
import { confirmationPage } from '../console/views/confirmation.ts';
import { errorPage } from '../console/views/error.ts';
import { homePage } from '../console/views/home.ts';
import type { SessionView } from '../console/views/session.ts';
import { signInPage } from '../console/views/sign-in.ts';
import { signedOutPage } from '../console/views/signed-out.ts';
import { chooseSignOutPage } from '../console/views/choose-sign-out.ts';
import { mfaChallengePage } from '../console/views/mfa-challenge.ts';
import { mfaSetupPage } from '../console/views/mfa-setup.ts';

export interface Tag {
  name: string;
  attrs: Map<string, string>;
  /** Attributes written without quotes (our convention is always to quote). */
  unquoted: string[];
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the entities `escapeHtml` produces (and numeric ones). */
export const decodeEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });

/** Every start tag, in document order. Comments and the doctype are skipped. */
export function tags(document: string): Tag[] {
  const out: Tag[] = [];
  for (const match of document.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g)) {
    const attrs = new Map<string, string>();
    const unquoted: string[] = [];
    const attrPattern = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
    for (const attr of (match[2] ?? '').matchAll(attrPattern)) {
      const name = attr[1]!.toLowerCase();
      if (attr[4] !== undefined) unquoted.push(name);
      attrs.set(name, decodeEntities(attr[2] ?? attr[3] ?? attr[4] ?? ''));
    }
    out.push({ name: match[1]!.toLowerCase(), attrs, unquoted });
  }
  return out;
}

export interface ParsedForm {
  method: string | undefined;
  action: string | undefined;
  inputs: Array<{ name: string; type: string; value: string | undefined }>;
  buttons: string[];
}

/** The forms of a page with their inputs (forms are never nested). */
export function forms(document: string): ParsedForm[] {
  return [...document.matchAll(/<form\b[\s\S]*?<\/form>/g)].map(([text]) => {
    const all = tags(text);
    const form = all[0]!;
    return {
      method: form.attrs.get('method'),
      action: form.attrs.get('action'),
      inputs: all
        .filter((tag) => tag.name === 'input')
        .map((tag) => ({ name: tag.attrs.get('name') ?? '', type: tag.attrs.get('type') ?? 'text', value: tag.attrs.get('value') })),
      buttons: [...text.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map((m) => decodeEntities(m[1]!.replace(/<[^>]*>/g, ''))),
    };
  });
}

/** The visible text of a page, entities decoded. */
export const textOf = (document: string): string =>
  decodeEntities(document.replace(/<\/?(?:a|b|bdi|code|em|i|span|strong|time)\b[^>]*>/g, '').replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');

/** Breaks out of text, attributes (both quotes), comments and forms, with non-ASCII that must survive. */
export const HOSTILE =
  '"><script>alert(1)</script><img src=x onerror=alert(2)>\'`<!-- </form><form action="https://evil.example"> &amp; \u202e Ünïcødé 😀';

export const session = (overrides: Partial<SessionView> = {}): SessionView => ({
  id: 'sess_1',
  arn: 'arn:aws:iam::111111111111:user/alice',
  accountId: '111111111111',
  displayName: 'alice',
  kind: 'user',
  remainingSeconds: 42_120,
  mfa: true,
  ...overrides,
});

export const AUTHORIZE_PARAMS = {
  response_type: 'code',
  client_id: 'arn:aws:signin:::devtools/same-device',
  state: '0b6f4a4e-1c1d-4c55-9a39-0f8b7b0b8f55',
  code_challenge_method: 'SHA-256',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  scope: 'openid',
  redirect_uri: 'http://127.0.0.1:53037/oauth/callback',
};

/** Every page, rendered from `text` in every string slot (benign text or `HOSTILE`). */
export function allPages(text: string): Array<[name: string, document: string]> {
  const s = (id: string) =>
    session({ id: `${text}${id}`, arn: `arn:aws:iam::111111111111:user/${text}`, accountId: text, displayName: text });
  return [
    ['sign-in root', signInPage({ csrfToken: text, mode: 'root', returnTo: text, error: text, notice: text, values: { email: text } })],
    ['sign-in iam', signInPage({ csrfToken: text, mode: 'iam', returnTo: text, error: text, values: { account: text, username: text } })],
    [
      'choose-session',
      chooseSessionPage({
        csrfToken: text,
        client: { kind: 'same-device', redirectUri: text },
        authorizeParams: { ...AUTHORIZE_PARAMS, state: text, [text]: text },
        sessions: [s('1'), s('2')],
        signInAnotherUrl: `/console/signin?return_to=${encodeURIComponent(text)}`,
        refreshUrl: `/v1/authorize?state=${encodeURIComponent(text)}`,
        maxSessions: 2,
      }),
    ],
    [
      'choose-session cross-device',
      chooseSessionPage({
        csrfToken: text,
        client: { kind: 'cross-device', redirectUri: text },
        authorizeParams: { [text]: text },
        sessions: [s('1')],
        signInAnotherUrl: '/console/signin',
        refreshUrl: '/v1/authorize',
        maxSessions: 5,
      }),
    ],
    ['confirmation', confirmationPage({ verificationCode: text })],
    ['home', homePage({ csrfToken: text, sessions: [s('1'), s('2')], maxSessions: 5, notice: text })],
    ['home empty', homePage({ csrfToken: text, sessions: [], maxSessions: 5, notice: text })],
    ['error', errorPage({ title: text, message: text, detail: text, requestId: text })],
    ['mfa challenge', mfaChallengePage({ csrfToken: text, challenge: text, principalArn: text, returnTo: text, error: text })],
    ['choose sign-out', chooseSignOutPage({ csrfToken: text, pending: text, newArn: text, sessions: [s('1'), s('2')], maxSessions: 2, returnTo: text, error: text })],
    ['mfa setup none', mfaSetupPage({ csrfToken: text, session: s('1'), status: { state: 'none' }, error: text, notice: text })],
    ['mfa setup pending', mfaSetupPage({ csrfToken: text, session: s('1'), status: { state: 'pending', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: `otpauth://totp/Keyless:${encodeURIComponent(text)}?secret=JBSWY3DPEHPK3PXP` }, error: text })],
    ['mfa setup enabled', mfaSetupPage({ csrfToken: text, session: s('1'), status: { state: 'enabled' }, notice: text })],
    ['signed-out', signedOutPage({ remaining: 2 })],
    ['signed-out none', signedOutPage({ remaining: 0 })],
  ];
}
