// Calls to the sign-in API: restJson1 POSTs, each with a DPoP proof for its own URL (PROTOCOL.md
// §2, RFC 9449). Errors come back as `{"error","message"}` with `x-amzn-errortype`; they become
// CliErrors with a human message per code (messages.ts).
import type { KeyObject } from 'node:crypto';
import { createDpopProof } from '@keyless/protocol';
import { CliError, ExitCode } from '../ui/errors.ts';
import { signinErrorMessage, type SigninErrorBody } from './messages.ts';

export interface SigninCall {
  fetch: typeof fetch;
  /** `{base}`: `https://{region}.signin.aws.amazon.com` or a Keyless server, no trailing slash. */
  baseUrl: string;
  /** `/v1/token` or `/v1/revoke`. */
  path: string;
  body: Record<string, string>;
  dpopKey: KeyObject;
  now: Date;
  timeoutMs?: number;
  /** Named in refusal messages: `keyless login --profile dev`. Default `keyless login`. */
  loginCommand?: string;
}

export const signinUrl = (baseUrl: string, path: string) => `${baseUrl}${path}`;

/** POSTs `body` as JSON with a DPoP header; returns the parsed 2xx body or throws a CliError. */
export async function postSignin(call: SigninCall): Promise<unknown> {
  const url = signinUrl(call.baseUrl, call.path);
  const dpop = createDpopProof({ privateKey: call.dpopKey, htm: 'POST', htu: url, now: call.now.getTime() / 1000 });
  let response: Response;
  try {
    response = await call.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', dpop },
      body: JSON.stringify(call.body),
      redirect: 'error',
      signal: AbortSignal.timeout(call.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new CliError('SIGNIN_UNREACHABLE', `Could not reach the sign-in endpoint ${url}: ${describeFetchFailure(error)}`, ExitCode.Unreachable, {
      cause: error,
    });
  }
  const text = await response.text();
  if (response.ok) {
    try {
      return text === '' ? {} : (JSON.parse(text) as unknown);
    } catch (error) {
      throw notTheProtocol(url, `a ${response.status} answer that is not JSON`, error);
    }
  }
  const body = parseErrorBody(response, text);
  if (body.code === undefined && body.type === undefined) {
    throw notTheProtocol(url, `HTTP ${response.status} without a sign-in error body`);
  }
  const { message, exitCode } = signinErrorMessage(body, call.loginCommand);
  throw new CliError(body.code ?? body.type ?? `HTTP_${response.status}`, message, exitCode);
}

function parseErrorBody(response: Response, text: string): SigninErrorBody {
  let json: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') json = value as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  // restJson1 error types may carry a namespace and a `:`-suffix (`aws.protocols#X:http://...`).
  const rawType = response.headers.get('x-amzn-errortype') ?? (typeof json.__type === 'string' ? json.__type : undefined);
  const type = rawType?.split(':')[0]?.split('#').pop();
  return {
    status: response.status,
    type,
    code: typeof json.error === 'string' ? json.error : undefined,
    message: typeof json.message === 'string' ? json.message : typeof json.Message === 'string' ? json.Message : undefined,
  };
}

const notTheProtocol = (url: string, what: string, cause?: unknown) =>
  new CliError('SIGNIN_BAD_RESPONSE', `The sign-in endpoint ${url} sent ${what}. Is the endpoint URL right?`, ExitCode.Unreachable, { cause });

/** `fetch failed` says nothing; the cause (ECONNREFUSED, ENOTFOUND, a TLS error) does. */
function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return cause.message && !cause.message.includes(cause.code) ? `${cause.code} (${cause.message})` : cause.code;
  return error instanceof Error ? (cause?.message ?? error.message) : String(error);
}
