// STS GetCallerIdentity as `aws sts get-caller-identity` sends it (PROTOCOL.md §4): `POST /`,
// form-encoded `Action=GetCallerIdentity&Version=2011-06-15`, SigV4-signed for service `sts`
// with the session token; the answer is query-protocol XML, errors as `<ErrorResponse>`.
import { signRequest, type SigV4Credentials } from '@keyless/protocol';
import { CliError, ExitCode } from '../ui/errors.ts';
import { xmlElementText } from './query-xml.ts';

export const GET_CALLER_IDENTITY_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
// What the AWS CLI sends.
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

export interface CallerIdentity {
  arn: string;
  userId: string;
  account: string;
}

export interface StsCall {
  fetch: typeof fetch;
  /** The STS endpoint, no trailing slash. */
  endpoint: string;
  region: string;
  credentials: SigV4Credentials;
  now: Date;
  timeoutMs?: number;
}

/** The signed request: URL and fetch options. */
export function getCallerIdentityRequest(call: Omit<StsCall, 'fetch'>): { url: string; init: RequestInit & { headers: Record<string, string> } } {
  const url = `${call.endpoint}/`;
  const headers = { 'content-type': FORM_CONTENT_TYPE };
  const signed = signRequest({ method: 'POST', url, headers, body: GET_CALLER_IDENTITY_BODY, credentials: call.credentials, region: call.region, service: 'sts', now: call.now });
  return { url, init: { method: 'POST', headers: { ...headers, ...signed }, body: GET_CALLER_IDENTITY_BODY } };
}

export async function getCallerIdentity(call: StsCall): Promise<CallerIdentity> {
  const { url, init } = getCallerIdentityRequest(call);
  let response: Response;
  try {
    response = await call.fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(call.timeoutMs ?? 30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliError('STS_UNREACHABLE', `Could not reach the STS endpoint ${url}: ${cause}`, ExitCode.Unreachable, { cause: error });
  }
  return parseGetCallerIdentityResponse(response.status, await response.text(), url);
}

/** The identity of a 200 answer; a CliError carrying STS's own code (`ExpiredToken`, …) otherwise. */
export function parseGetCallerIdentityResponse(status: number, xml: string, url: string): CallerIdentity {
  if (status === 200) {
    const [arn, userId, account] = ['Arn', 'UserId', 'Account'].map((name) => xmlElementText(xml, name));
    if (arn && userId && account && xml.includes('<GetCallerIdentityResult')) return { arn, userId, account };
    throw notSts(url, `a ${status} answer without an Arn, UserId and Account`);
  }
  const code = xmlElementText(xml, 'Code');
  if (code === undefined || !xml.includes('<ErrorResponse')) throw notSts(url, `HTTP ${status} without an STS error`);
  const message = xmlElementText(xml, 'Message') ?? '';
  throw new CliError(code, `STS refused the request (HTTP ${status} ${code}): ${message}${hintFor(code, url)}`, status === 400 || status === 403 ? ExitCode.Refused : ExitCode.Failure);
}

function hintFor(code: string, url: string): string {
  if (code === 'InvalidClientTokenId' || code === 'ExpiredToken') {
    return `\nIs ${url} the server that issued these credentials? Set it with --endpoint-url, AWS_ENDPOINT_URL_STS or the profile's services section.`;
  }
  if (code === 'RequestExpired') return '\nCheck that this computer\'s clock is right.';
  return '';
}

const notSts = (url: string, what: string) =>
  new CliError('STS_BAD_RESPONSE', `The STS endpoint ${url} sent ${what}. Is the endpoint URL right?`, ExitCode.Unreachable);
