// Every document Keyless fetches from an identity provider (discovery, JWKS) comes through here:
// GET with a timeout over the whole exchange, no redirects (a provider's URLs were checked to be
// https, or http on loopback; a redirect could lead anywhere), 200 only, and a size bound read as
// the body streams in, so a hostile or broken provider can hold neither a request nor memory.
export interface BoundedFetchOptions {
  timeoutMs: number;
  maxBytes: number;
}

export const MAX_PROVIDER_DOCUMENT_BYTES = 256 * 1024;

export async function fetchJson(fetchImpl: typeof fetch, url: string, options: BoundedFetchOptions): Promise<unknown> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(url, { signal, headers: { accept: 'application/json' }, redirect: 'error' });
  } catch (error) {
    // undici says only "fetch failed"; the cause says why (a redirect, a refused connection, the timeout).
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new Error(cause ? `${(error as Error).message}: ${cause}` : (error as Error).message);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new Error(`the document is ${declared} bytes, over ${options.maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Node's web streams are async iterable; the DOM typings do not say so.
  for await (const chunk of (response.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > options.maxBytes) throw new Error(`the document is over ${options.maxBytes} bytes`);
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
