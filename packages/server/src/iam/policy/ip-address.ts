// IPv4 and IPv6 addresses and CIDR blocks for IpAddress/NotIpAddress (RFC 4632, RFC 4291 §2.2 text
// forms, RFC 4291 §2.5.5.2 IPv4-mapped addresses). An address is four 32-bit words; IPv4 uses one.
// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, what a dual-stack socket reports) are IPv4, so a
// policy written with IPv4 CIDRs applies to them.

export interface IpAddress {
  readonly v6: boolean;
  readonly words: readonly number[];
}

export interface CidrBlock extends IpAddress {
  readonly prefix: number;
}

const OCTET = /^(?:0|[1-9][0-9]{0,2})$/;

function parseIpv4(text: string): number | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0;
  for (const octet of octets) {
    if (!OCTET.test(octet)) return undefined;
    const n = Number(octet);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const groups: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) groups.push(parseInt(piece, 16));
      else return undefined;
    }
    return groups;
  };
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1 && head.length !== 8) return undefined;
  if (halves.length === 2 && head.length + tail.length > 7) return undefined;
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return [0, 1, 2, 3].map((i) => ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0);
}

const isV4Mapped = (words: readonly number[]) => words[0] === 0 && words[1] === 0 && words[2] === 0xffff;

/** Parses an address; a zone id (`%eth0`) is dropped. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === undefined ? undefined : { v6: false, words: [v4] };
  }
  const words = parseIpv6(text.replace(/%[^%]*$/, ''));
  if (!words) return undefined;
  return isV4Mapped(words) ? { v6: false, words: [words[3]!] } : { v6: true, words };
}

/** Parses `address/prefix` or a bare address (a /32 or /128). Host bits are ignored. */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  if (addressText.includes('%')) return undefined;
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^(?:0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  if (!addressText.includes(':')) {
    const v4 = parseIpv4(addressText);
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    return v4 === undefined || prefix > 32 ? undefined : { v6: false, words: [v4], prefix };
  }
  const words = parseIpv6(addressText);
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (!words || prefix > 128) return undefined;
  if (isV4Mapped(words) && prefix >= 96) return { v6: false, words: [words[3]!], prefix: prefix - 96 };
  return { v6: true, words, prefix };
}

/** Is the address inside the block? Families never mix (apart from IPv4-mapped, normalised above). */
export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  if (block.v6 !== address.v6) return false;
  let bits = block.prefix;
  for (let i = 0; i < block.words.length && bits > 0; i++, bits -= 32) {
    const mask = bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
    if (((block.words[i]! & mask) >>> 0) !== ((address.words[i]! & mask) >>> 0)) return false;
  }
  return true;
}
