// `*` and `?` in Action, Resource and the Like/Arn condition operators, compiled once into a
// matcher and cached by pattern, so a pattern filled per request from policy variables is built
// once per distinct filled string, not once per check.
//
// A glob is the pattern text where `\` makes the next character literal (see fillTemplate).
// Modes:
//  - action: case-insensitive (the caller lowercases the action once per request);
//  - string: StringLike: `*` is any run of characters, `?` any one character, case-sensitive;
//  - arn: Resource, ArnLike/ArnEquals: case-sensitive and component-wise — the six colon-separated
//    ARN components are matched separately, so a wildcard in partition, service, region or account
//    never spans a colon, while one in the resource component (everything after the fifth colon)
//    may. A lone `*` matches everything, ARN or not (Resource "*").
//
// The subject (a resource, a redirect URI) comes from the request, and a backtracking regex for
// `*a*a*a*…` is polynomial in its length (five stars over 300 characters already takes minutes).
// So a RegExp (the fastest matcher V8 has) is used only where it cannot backtrack far: at most one
// star per ARN component, or per string. Any other glob is split at its stars into fixed-length
// segments matched leftmost-first with startsWith/indexOf/endsWith — exact for `*` globs, since a
// segment placed as early as possible leaves the most room for the rest, and O(pattern × subject)
// at worst.

export type GlobMode = 'action' | 'string' | 'arn';
export type Matcher = (value: string) => boolean;

const STAR = -1;
const ONE = -2;
const COLON = 58;

/** Characters between stars; `?` makes it `fuzzy`, compared code unit by code unit. */
interface Segment {
  readonly text: string;
  readonly codes: readonly number[];
  readonly fuzzy: boolean;
}

/** A stretch of pattern: head, then (if starred) middles anywhere in order, then tail at the end. */
interface Stretch {
  readonly starred: boolean;
  readonly head: Segment;
  readonly middles: readonly Segment[];
  readonly tail: Segment;
  readonly minLength: number;
}

const MAX_CACHED = 10_000;
const cache = new Map<string, Matcher>();

export function globMatcher(glob: string, mode: GlobMode): Matcher {
  const cacheKey = mode + '\u0000' + glob;
  let matcher = cache.get(cacheKey);
  if (matcher === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    const tokens = tokenize(mode === 'action' ? glob.toLowerCase() : glob);
    const arn = mode === 'arn' && !(tokens.length === 1 && tokens[0] === STAR);
    matcher = arn ? arnMatcher(tokens) : wholeMatcher(tokens);
    cache.set(cacheKey, matcher);
  }
  return matcher;
}

const matchAll: Matcher = () => true;

/** A matcher for a whole string, with the common shapes answered by one engine call. */
function wholeMatcher(tokens: readonly number[]): Matcher {
  const stretch = stretchOf(tokens);
  const { head, middles, tail } = stretch;
  if (!head.fuzzy && !tail.fuzzy && middles.length === 0) {
    if (!stretch.starred) return (value) => value === head.text;
    if (head.text === '' && tail.text === '') return matchAll;
    if (tail.text === '') return (value) => value.startsWith(head.text);
    if (head.text === '') return (value) => value.endsWith(tail.text);
  }
  if (!stretch.starred || stretch.middles.length === 0) return regexMatcher(tokens, false);
  return (value) => matchStretch(stretch, value, 0, value.length);
}

/** An anchored RegExp; only for globs with at most one star per component (see above). */
function regexMatcher(tokens: readonly number[], arn: boolean): Matcher {
  let source = '';
  let component = 0;
  for (const token of tokens) {
    const bounded = arn && component < 5;
    if (token === STAR) source += bounded ? '[^:]*' : '[^]*';
    else if (token === ONE) source += bounded ? '[^:]' : '[^]';
    else {
      source += String.fromCharCode(token).replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      if (token === COLON) component++;
    }
  }
  const regex = new RegExp(`^${source}$`);
  return (value) => regex.test(value);
}

/** Component-wise ARN matching: the pattern's and the value's first five colons must line up. */
function arnMatcher(tokens: readonly number[]): Matcher {
  const parts: number[][] = [[]];
  for (const token of tokens) {
    if (token === COLON && parts.length < 6) parts.push([]);
    else parts[parts.length - 1]!.push(token);
  }
  const components = parts.map(stretchOf);
  const count = components.length;
  const exact = components.every((component) => !component.starred && !component.head.fuzzy);
  if (exact) {
    const text = components.map((component) => component.head.text).join(':');
    return (value) => value === text;
  }
  if (components.every((component) => component.middles.length === 0)) return regexMatcher(tokens, true);
  return (value) => {
    let from = 0;
    for (let c = 0; c < count; c++) {
      const last = c === count - 1;
      let to = last ? value.length : value.indexOf(':', from);
      if (to === -1) return false;
      // Fewer than six components in the pattern: the value may have no further colon either.
      if (last && count < 6 && value.indexOf(':', from) !== -1) return false;
      if (!matchStretch(components[c]!, value, from, to)) return false;
      from = to + 1;
    }
    return true;
  };
}

function stretchOf(tokens: readonly number[]): Stretch {
  const segments: Segment[] = [];
  let codes: number[] = [];
  const close = () => {
    segments.push({ text: codes.map((code) => (code === ONE ? '?' : String.fromCharCode(code))).join(''), codes, fuzzy: codes.includes(ONE) });
    codes = [];
  };
  for (const token of tokens) {
    if (token === STAR) close();
    else codes.push(token);
  }
  close();
  const starred = segments.length > 1;
  const head = segments[0]!;
  const tail = starred ? segments[segments.length - 1]! : EMPTY;
  const middles = segments.slice(1, -1);
  const minLength = segments.reduce((sum, segment) => sum + segment.codes.length, 0);
  return { starred, head, middles, tail, minLength };
}

const EMPTY: Segment = { text: '', codes: [], fuzzy: false };

/** Does value[from, to) match the stretch? */
function matchStretch(stretch: Stretch, value: string, from: number, to: number): boolean {
  const { head, tail } = stretch;
  if (!stretch.starred) return to - from === head.codes.length && segmentAt(head, value, from);
  if (to - from < stretch.minLength) return false;
  if (!segmentAt(head, value, from)) return false;
  const end = to - tail.codes.length;
  if (!segmentAt(tail, value, end)) return false;
  let at = from + head.codes.length;
  for (const middle of stretch.middles) {
    const found = findSegment(middle, value, at, end);
    if (found === -1) return false;
    at = found + middle.codes.length;
  }
  return true;
}

function segmentAt(segment: Segment, value: string, at: number): boolean {
  if (!segment.fuzzy) return value.startsWith(segment.text, at);
  const { codes } = segment;
  if (at + codes.length > value.length) return false;
  for (let i = 0; i < codes.length; i++) if (codes[i] !== ONE && codes[i] !== value.charCodeAt(at + i)) return false;
  return true;
}

/** The first position in [from, end − length] where the segment occurs, or −1. */
function findSegment(segment: Segment, value: string, from: number, end: number): number {
  const last = end - segment.codes.length;
  if (!segment.fuzzy) {
    const found = value.indexOf(segment.text, from);
    return found !== -1 && found <= last ? found : -1;
  }
  for (let at = from; at <= last; at++) if (segmentAt(segment, value, at)) return at;
  return -1;
}

/** Character codes, with `\x` read as a literal x and `*`, `?` as wildcards. */
function tokenize(glob: string): number[] {
  const tokens: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    const code = glob.charCodeAt(i);
    if (code === 92 /* \ */ && i + 1 < glob.length) tokens.push(glob.charCodeAt(++i));
    else if (code === 42 /* * */) tokens.push(STAR);
    else if (code === 63 /* ? */) tokens.push(ONE);
    else tokens.push(code);
  }
  return tokens;
}
