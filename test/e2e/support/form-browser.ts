// A minimal browser over fetch: a cookie jar per origin, redirects followed the way browsers
// follow them (303 → GET), and forms submitted with their hidden fields. Enough to walk the
// console's sign-in and session chooser over a real socket without starting chromium.
export interface Page {
  url: string;
  status: number;
  body: string;
}

interface Form {
  action: string;
  method: string;
  fields: Record<string, string>;
  html: string;
}

const decode = (text: string) =>
  text.replace(/&(amp|quot|#39|lt|gt);/g, (_, entity: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[entity]!);

const attributes = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((m) => [m[1]!.toLowerCase(), decode(m[2] ?? '')]));

function formsOf(page: Page): Form[] {
  return [...page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => {
    const attrs = attributes(m[1]!);
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input\b([^>]*)>/g)) {
      const a = attributes(input[1]!);
      if (a.name && a.type === 'hidden') fields[a.name] = a.value ?? '';
    }
    return { action: new URL(attrs.action ?? '', page.url).href, method: (attrs.method ?? 'get').toUpperCase(), fields, html: m[0] };
  });
}

export class FormBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  constructor(private readonly timeoutMs = 10_000) {}

  async get(url: string): Promise<Page> {
    return this.navigate('GET', url);
  }

  /** Submits the form whose HTML contains `containing` (e.g. a button label), with `fields` filled in. */
  async submit(page: Page, containing: string, fields: Record<string, string> = {}): Promise<Page> {
    const form = formsOf(page).find((candidate) => candidate.html.includes(containing));
    if (!form) throw new Error(`no form containing ${JSON.stringify(containing)} on ${page.url}:\n${page.body}`);
    return this.navigate(form.method, form.action, new URLSearchParams({ ...form.fields, ...fields }).toString());
  }

  private async navigate(method: string, url: string, body?: string): Promise<Page> {
    for (let hops = 0; hops < 10; hops++) {
      const origin = new URL(url).origin;
      const jar = this.jars.get(origin) ?? new Map<string, string>();
      this.jars.set(origin, jar);
      const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (keyless e2e form browser)' };
      if (jar.size) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      if (body !== undefined) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', origin });
      const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url).href;
        if (response.status === 303 || method !== 'GET') (method = 'GET'), (body = undefined);
        continue;
      }
      return { url, status: response.status, body: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }
}
