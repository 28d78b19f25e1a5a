// The AWS shared config format, read the way the SDKs read it and edited without disturbing
// anything we did not mean to change (PROTOCOL.md §3: "Other lines of the file must survive
// untouched"). Reading follows @smithy/shared-ini-file-loader: `#`/`;` comments (also after
// whitespace), `[profile x]`/`[services x]`/`[sso-session x]` sections, and sub-sections — a key
// with an empty value followed by indented `key = value` lines. Editing works on raw lines and
// rewrites only the lines it sets; everything else, line endings included, is kept byte for byte.

export interface IniSection {
  values: Record<string, string>;
  /** `signin =` followed by indented `endpoint_url = ...` → `subsections.signin.endpoint_url`. */
  subsections: Record<string, Record<string, string>>;
}

/** Sections by normalised name: `default`, `profile dev`, `services local`, `sso-session corp`. */
export type IniSections = Map<string, IniSection>;

interface Line {
  text: string;
  eol: '' | '\n' | '\r\n';
}

type Scanned =
  | { kind: 'blank' }
  | { kind: 'section'; name: string }
  | { kind: 'subsection'; section: string | undefined; name: string }
  | { kind: 'entry'; section: string | undefined; subsection: string | undefined; key: string; value: string }
  | { kind: 'other' };

function splitLines(text: string): Line[] {
  const parts = text.split(/(\r\n|\n)/);
  const lines: Line[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const eol = (parts[i + 1] ?? '') as Line['eol'];
    if (parts[i] === '' && eol === '' && i === parts.length - 1) break; // nothing after the last newline
    lines.push({ text: parts[i] as string, eol });
  }
  return lines;
}

const joinLines = (lines: readonly Line[]): string => lines.map((line) => line.text + line.eol).join('');

/** A comment starts at `#` or `;` at the beginning of a line or after whitespace. */
const stripComment = (text: string): string => text.split(/(?:^|\s)[;#]/)[0] as string;

/** `profile  dev` → `profile dev`; `"quoted"` names lose their quotes. Unknown prefixes stay as written. */
export function normalizeSectionName(inner: string): string {
  const trimmed = inner.trim();
  const match = /^(profile|sso-session|services)\s+(["']?)(.+)\2$/.exec(trimmed);
  return match ? `${match[1]} ${match[3]}` : trimmed;
}

function scanLines(lines: readonly Line[]): Scanned[] {
  let section: string | undefined;
  let subsection: string | undefined;
  return lines.map((line): Scanned => {
    const trimmed = stripComment(line.text).trim();
    if (trimmed === '') return { kind: 'blank' };
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      section = normalizeSectionName(trimmed.slice(1, -1));
      subsection = undefined;
      return { kind: 'section', name: section };
    }
    const eq = trimmed.indexOf('=');
    if (eq <= 0) return { kind: 'other' };
    const key = trimmed.slice(0, eq).trim();
    const value = trimmed.slice(eq + 1).trim();
    if (value === '') {
      subsection = key;
      return { kind: 'subsection', section, name: key };
    }
    // A line that is not indented ends a sub-section (as in the SDKs' parser).
    if (subsection !== undefined && !/^\s/.test(line.text)) subsection = undefined;
    return { kind: 'entry', section, subsection, key, value };
  });
}

/** Parses a config or credentials file. Later duplicates win, as in the JS SDK. */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  const sectionOf = (name: string) => {
    let found = sections.get(name);
    if (!found) sections.set(name, (found = { values: {}, subsections: {} }));
    return found;
  };
  for (const item of scanLines(splitLines(text))) {
    if (item.kind === 'section') sectionOf(item.name);
    else if (item.kind === 'subsection' && item.section !== undefined) sectionOf(item.section).subsections[item.name] ??= {};
    else if (item.kind === 'entry' && item.section !== undefined) {
      const target = sectionOf(item.section);
      if (item.subsection === undefined) target.values[item.key] = item.value;
      else (target.subsections[item.subsection] ??= {})[item.key] = item.value;
    }
  }
  return sections;
}

export interface IniTarget {
  /** Normalised section names that mean the same section, preferred first (`default`, `profile default`). */
  sections: readonly string[];
  /** Set the key inside this sub-section (`signin`) instead of at the section's top level. */
  subsection?: string;
  key: string;
}

/**
 * Returns `text` with `key = value` set in the target section. Every existing line for the key is
 * rewritten in place (so whichever duplicate a parser picks, it sees the new value); otherwise the
 * line is added after the section's last line of content; a missing section is added at the end.
 */
export function setIniValue(text: string, target: IniTarget, value: string): string {
  if (/[\r\n]/.test(value) || /[\r\n=\[\]]/.test(target.key)) throw new Error('INI keys and values cannot span lines');
  const lines = splitLines(text);
  const scanned = scanLines(lines);
  const newline: Line['eol'] = lines.find((line) => line.eol !== '')?.eol ?? '\n';
  const inTarget = (section: string | undefined) => section !== undefined && target.sections.includes(section);

  let replaced = false;
  scanned.forEach((item, index) => {
    if (item.kind === 'entry' && inTarget(item.section) && item.subsection === target.subsection && item.key === target.key) {
      lines[index] = { ...(lines[index] as Line), text: replaceValue((lines[index] as Line).text, value) };
      replaced = true;
    }
  });
  if (replaced) return joinLines(lines);

  const headerIndex = lastHeaderOf(scanned, target.sections);
  if (headerIndex === undefined) return appendSection(lines, newline, target, value);

  const end = sectionEnd(scanned, headerIndex);
  if (target.subsection === undefined) return insertAfter(lines, lastContentLine(scanned, headerIndex, end), newline, [`${target.key} = ${value}`]);

  const subIndex = lastIndexWhere(scanned, headerIndex, end, (item) => item.kind === 'subsection' && item.name === target.subsection);
  if (subIndex === undefined) {
    return insertAfter(lines, lastContentLine(scanned, headerIndex, end), newline, [`${target.subsection} =`, `  ${target.key} = ${value}`]);
  }
  // Add to the existing sub-section, after its last indented line, with the same indentation.
  let last = subIndex;
  for (let i = subIndex + 1; i < end; i++) {
    const item = scanned[i] as Scanned;
    if (item.kind === 'entry' && item.subsection === target.subsection) last = i;
    else if (item.kind !== 'blank') break;
  }
  const indent = last === subIndex ? '  ' : (/^\s*/.exec((lines[last] as Line).text)?.[0] ?? '  ');
  return insertAfter(lines, last, newline, [`${indent}${target.key} = ${value}`]);
}

/** Applies several settings in order. */
export function setIniValues(text: string, edits: ReadonlyArray<{ target: IniTarget; value: string }>): string {
  return edits.reduce((current, edit) => setIniValue(current, edit.target, edit.value), text);
}

/** Keeps indentation, the key's spelling, the spacing around `=` and a trailing comment. */
function replaceValue(line: string, value: string): string {
  const match = /^(\s*[^=]*?\s*=[ \t]*)(.*)$/.exec(line);
  if (!match) return line;
  const rest = match[2] as string;
  const comment = /\s+[;#]/.exec(rest);
  return `${match[1]}${value}${comment ? rest.slice(comment.index) : ''}`;
}

function lastHeaderOf(scanned: readonly Scanned[], names: readonly string[]): number | undefined {
  // Prefer the first spelling (`[default]` over `[profile default]`); the last copy of a duplicated section.
  for (const name of names) {
    const index = scanned.findLastIndex((item) => item.kind === 'section' && item.name === name);
    if (index !== -1) return index;
  }
  return undefined;
}

function sectionEnd(scanned: readonly Scanned[], headerIndex: number): number {
  const next = scanned.findIndex((item, i) => i > headerIndex && item.kind === 'section');
  return next === -1 ? scanned.length : next;
}

function lastIndexWhere(scanned: readonly Scanned[], from: number, end: number, test: (item: Scanned) => boolean): number | undefined {
  for (let i = end - 1; i > from; i--) if (test(scanned[i] as Scanned)) return i;
  return undefined;
}

/** The header or the last key line of a section; trailing blanks and comments belong to what follows. */
function lastContentLine(scanned: readonly Scanned[], headerIndex: number, end: number): number {
  return lastIndexWhere(scanned, headerIndex, end, (item) => item.kind !== 'blank') ?? headerIndex;
}

function insertAfter(lines: Line[], index: number, newline: Line['eol'], texts: readonly string[]): string {
  const previous = lines[index] as Line;
  const added: Line[] = texts.map((text) => ({ text, eol: newline }));
  // Inserting after a last line without a newline: it gets one, and the file still ends without.
  if (previous.eol === '') {
    lines[index] = { ...previous, eol: newline };
    (added[added.length - 1] as Line).eol = '';
  }
  lines.splice(index + 1, 0, ...added);
  return joinLines(lines);
}

function appendSection(lines: Line[], newline: Line['eol'], target: IniTarget, value: string): string {
  const name = target.sections[0];
  if (name === undefined) throw new Error('setIniValue needs a section name');
  const body = target.subsection === undefined ? [`${target.key} = ${value}`] : [`${target.subsection} =`, `  ${target.key} = ${value}`];
  const added = [`[${name}]`, ...body];
  if (lines.length === 0) return added.map((text) => text + newline).join('');
  const endsWithNewline = (lines[lines.length - 1] as Line).eol !== '';
  const lastIsBlank = (lines[lines.length - 1] as Line).text.trim() === '';
  if (!lastIsBlank) added.unshift('');
  const appended = added.map((text, i) => text + (i < added.length - 1 || endsWithNewline ? newline : '')).join('');
  return joinLines(lines) + (endsWithNewline ? '' : newline) + appended;
}
