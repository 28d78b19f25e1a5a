// Policy variables (IAM User Guide, "IAM policy elements: Variables and tags"): `${aws:username}`,
// `${aws:PrincipalTag/team, 'default'}`, and the escapes `${*}`, `${?}`, `${$}` for a literal
// character where `*`, `?` or `$` would otherwise mean something. Only Version 2012-10-17 has them;
// the validator refuses `${…}` under 2008-10-17 rather than silently matching the literal text.
import type { PolicyVersion } from './types.ts';
import { malformed, shown } from './validation-error.ts';

/** One piece of a template: policy text (wildcards active), a literal (escape), or a variable. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: string; readonly lowerKey: string; readonly fallback: string | undefined };

export type Template = readonly TemplatePart[];

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };
const VARIABLE = /^([A-Za-z0-9.-]+:[^\s,'${}]+)(?:, ?'([^']*)')?$/;

/** Parses `text` into a template, or answers why it is not one. */
export function parseTemplate(text: string): Template | { error: string } {
  const parts: TemplatePart[] = [];
  let from = 0;
  for (let at = text.indexOf('${'); at !== -1; at = text.indexOf('${', from)) {
    const end = text.indexOf('}', at + 2);
    if (end === -1) return { error: `has "\${" without a closing "}" at character ${at + 1}` };
    if (at > from) parts.push({ kind: 'text', text: text.slice(from, at) });
    const body = text.slice(at + 2, end);
    const escaped = Object.hasOwn(ESCAPES, body) ? ESCAPES[body] : undefined;
    if (escaped !== undefined) parts.push({ kind: 'literal', text: escaped });
    else {
      const match = VARIABLE.exec(body);
      if (!match) return { error: `has "\${${body}}", which is not a policy variable (expected \${service:key} or \${service:key, 'default'})` };
      parts.push({ kind: 'variable', key: match[1]!, lowerKey: match[1]!.toLowerCase(), fallback: match[2] });
    }
    from = end + 1;
  }
  if (from < text.length) parts.push({ kind: 'text', text: text.slice(from) });
  return parts;
}

/** True when the template needs a request to be filled. */
export const hasVariables = (template: Template) => template.some((part) => part.kind === 'variable');

/** Does the text contain something that looks like a policy variable? (for the 2008-10-17 check) */
export const mentionsVariable = (text: string) => /\$\{[^}]*\}/.test(text);

/** Where variables take their values: the request (RequestView). Multi-valued keys cannot be variables. */
export interface VariableSource {
  get(lowerKey: string, key: string): unknown;
}

const noVariables: VariableSource = { get: () => undefined };

/** The single value a variable takes, its default, or undefined: then AWS matches nothing. */
function valueOf(part: Extract<TemplatePart, { kind: 'variable' }>, source: VariableSource): string | undefined {
  const raw = source.get(part.lowerKey, part.key);
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return part.fallback;
}

/**
 * Fills a template. `glob` keeps wildcards of the policy text active and makes everything else
 * (escapes and substituted values) literal by prefixing `*`, `?` and `\` with `\`, the encoding
 * `globMatcher` reads: a tag value of `*` must never widen a Resource.
 */
export function fillTemplate(template: Template, source: VariableSource, glob: boolean): string | undefined {
  let out = '';
  for (const part of template) {
    if (part.kind === 'text') out += glob ? part.text.replace(/\\/g, '\\\\') : part.text;
    else {
      const value = part.kind === 'literal' ? part.text : valueOf(part, source);
      if (value === undefined) return undefined;
      out += glob ? escapeGlob(value) : value;
    }
  }
  return out;
}

/** A template without variables, filled once. */
export const constantOf = (template: Template, glob: boolean) => fillTemplate(template, noVariables, glob)!;

const MAX_FILLED = 1_024;

/**
 * A template with variables compiled for repeated use: each distinct set of variable values is
 * filled and built (into a matcher, a normalised string…) once, then found by those values alone.
 */
export function filledTemplate<T>(template: Template, glob: boolean, build: (filled: string) => T): (source: VariableSource) => T | undefined {
  const variables = template.filter((part): part is Extract<TemplatePart, { kind: 'variable' }> => part.kind === 'variable');
  const built = new Map<string, T>();
  return (source) => {
    let key = '';
    for (let i = 0; i < variables.length; i++) {
      const value = valueOf(variables[i]!, source);
      if (value === undefined) return undefined;
      key = i === 0 ? value : `${key}\u0000${value}`;
    }
    let result = built.get(key);
    if (result === undefined) {
      if (built.size >= MAX_FILLED) built.clear();
      result = build(fillTemplate(template, source, glob)!);
      built.set(key, result);
    }
    return result;
  };
}

/** Makes every character of `text` literal in a glob. */
export const escapeGlob = (text: string) => text.replace(/[\\*?]/g, '\\$&');

/** The template as it would read with every variable replaced by `x` (for syntax checks). */
export const sampleOf = (template: Template) =>
  template.map((part) => (part.kind === 'variable' ? 'x' : part.text)).join('');

/**
 * Checks the policy variables in `text` and answers it with each variable replaced by `x`, for
 * shape checks. Under 2008-10-17 a `${…}` is an error, not literal text nobody meant.
 */
export function templateSample(text: string, path: string, version: PolicyVersion): string {
  if (version === '2008-10-17') {
    if (mentionsVariable(text)) malformed(path, `uses a policy variable, which needs "Version": "2012-10-17" (found ${shown(text)})`);
    return text;
  }
  const template = parseTemplate(text);
  if ('error' in template) malformed(path, template.error);
  return sampleOf(template);
}
