// Reading the few elements of an AWS query-protocol answer we need (PROTOCOL.md §4): STS's
// responses are flat, and element names do not repeat inside the parts we read, so the first
// `<Name>…</Name>` is the one. Not a general XML parser, and it does not need to be.

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The text of the first `<name>` element (attributes allowed), entities decoded; undefined when absent. */
export function xmlElementText(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(xml);
  return match ? decodeEntities(match[1] as string) : undefined;
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return codePoint(Number.parseInt(entity.slice(2), 16)) ?? whole;
    if (entity.startsWith('#')) return codePoint(Number.parseInt(entity.slice(1), 10)) ?? whole;
    return ENTITIES[entity] ?? whole;
  });
}

const codePoint = (n: number) => (Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined);
