// Reading IAM's query parameters (`UserName`, `Tags.member.1.Key`, `MaxItems`, …) into typed
// values; a missing required one is IAM's ValidationError with the parameter's camelCase name.
import type { Tags } from '../../store/store.ts';
import { validationError } from '../errors.ts';

export type QueryInput = Record<string, string>;

const camel = (name: string) => name[0]!.toLowerCase() + name.slice(1);

export function required(input: QueryInput, name: string): string {
  const value = input[name];
  if (value === undefined || value === '') throw validationError(camel(name), undefined, 'must not be null');
  return value;
}

export const optional = (input: QueryInput, name: string): string | undefined => input[name];

export function integer(input: QueryInput, name: string): number | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (!/^-?\d{1,10}$/.test(value)) throw validationError(camel(name), value, 'must be an integer');
  return Number(value);
}

export function boolean(input: QueryInput, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw validationError(camel(name), value, 'must be true or false');
  return value === 'true';
}

/** `Name.member.1`, `Name.member.2`, … in order (a gap ends the list, as AWS reads them). */
export function stringList(input: QueryInput, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; input[`${name}.member.${i}`] !== undefined; i++) out.push(input[`${name}.member.${i}`]!);
  return out;
}

/** `Tags.member.N.Key` / `.Value`. */
export function tags(input: QueryInput, name = 'Tags'): Tags | undefined {
  // Null prototype: a tag may be called `__proto__` or `constructor` (the client names the keys).
  const out: Tags = Object.create(null);
  let any = false;
  for (let i = 1; input[`${name}.member.${i}.Key`] !== undefined; i++) {
    any = true;
    out[input[`${name}.member.${i}.Key`]!] = input[`${name}.member.${i}.Value`] ?? '';
  }
  return any ? out : undefined;
}

export const page = (input: QueryInput) => ({ marker: optional(input, 'Marker'), maxItems: integer(input, 'MaxItems') });
