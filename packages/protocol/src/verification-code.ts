// The cross-device verification code (PROTOCOL.md §1): standard, padded base64 of
// `code={code}&state={state}`, shown on the confirmation page and pasted into the CLI.

export const encodeVerificationCode = (code: string, state: string): string =>
  Buffer.from(new URLSearchParams({ code, state }).toString(), 'utf8').toString('base64');

/** Decodes a pasted code; whitespace the terminal may add is ignored. Undefined when it is not one. */
export function decodeVerificationCode(pasted: string): { code: string; state: string } | undefined {
  const compact = pasted.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  const params = new URLSearchParams(Buffer.from(compact, 'base64').toString('utf8'));
  const code = params.get('code');
  const state = params.get('state');
  return code && state ? { code, state } : undefined;
}
