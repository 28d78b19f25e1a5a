// Before a browser opens or a URL is printed, `keyless login` makes sure the endpoint is a
// sign-in service at all (docs/PROTOCOL.md §2): one token request with nothing in it, no proof
// and no grant, which every sign-in service (AWS's or Keyless's) refuses in its own shape — a
// 4xx with `x-amzn-errortype` or a `{"error": CODE}` body — and which nothing else answers so.
// A dead port or another web server is then reported in a second or two, with the message and
// exit status `whoami` and `credential-process` give for the same mistake, instead of after a
// 10-minute wait for a browser that can never come back.
import { describeFetchFailure, notTheProtocol, signinUrl } from '../signin/client.ts';
import { CliError, ExitCode } from '../ui/errors.ts';

export const ENDPOINT_CHECK_TIMEOUT_MS = 5_000;

export async function assertIsSigninService(input: { fetch: typeof fetch; baseUrl: string; timeoutMs?: number }): Promise<void> {
  const url = signinUrl(input.baseUrl, '/v1/token');
  let response: Response;
  try {
    response = await input.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs ?? ENDPOINT_CHECK_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError('SIGNIN_UNREACHABLE', `Could not reach the sign-in endpoint ${url}: ${describeFetchFailure(error)}`, ExitCode.Unreachable, { cause: error });
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 400 && response.status < 500 && (response.headers.has('x-amzn-errortype') || hasErrorCode(text))) return;
  throw notTheProtocol(url, `HTTP ${response.status} to an empty token request, where a sign-in service answers with its error`);
}

function hasErrorCode(text: string): boolean {
  try {
    const body: unknown = JSON.parse(text);
    return typeof (body as { error?: unknown } | null)?.error === 'string';
  } catch {
    return false;
  }
}
