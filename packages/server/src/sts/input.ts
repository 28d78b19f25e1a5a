// STS's parameters read the same way from either protocol: the query protocol's flattened form
// (`PolicyArns.member.1.arn`, `Tags.member.2.Key`, `TransitiveTagKeys.member.1`) and JSON 1.0's
// body (`PolicyArns: [{ arn }]`, `Tags: [{ Key, Value }]`). Values come back as strings, as the
// query protocol has them; a JSON value of the wrong type is JSON 1.0's SerializationException.
import { AwsServiceError } from '../aws-api/errors.ts';
import type { AwsProtocol } from '../aws-api/service.ts';

export interface StsInput {
  string(name: string): string | undefined;
  /** A list of strings; undefined when the request has none. */
  list(name: string): string[] | undefined;
  /** A list of structures, each member's fields as strings. */
  structures(name: string, fields: readonly string[]): Array<Record<string, string | undefined>> | undefined;
}

const wrongType = (name: string) => new AwsServiceError('SerializationException', `The value of ${name} has the wrong type.`);

export function stsInput(protocol: AwsProtocol, input: Record<string, unknown>): StsInput {
  return protocol === 'json' ? jsonInput(input) : queryInput(input as Record<string, string>);
}

function queryInput(input: Record<string, string>): StsInput {
  const get = (key: string) => (Object.hasOwn(input, key) ? input[key] : undefined);
  return {
    string: get,
    list(name) {
      const out: string[] = [];
      // A gap ends the list, as AWS reads them.
      for (let i = 1; get(`${name}.member.${i}`) !== undefined; i++) out.push(get(`${name}.member.${i}`)!);
      return out.length || get(name) === '' ? out : undefined;
    },
    structures(name, fields) {
      const out: Array<Record<string, string | undefined>> = [];
      const present = (i: number) => fields.some((field) => get(`${name}.member.${i}.${field}`) !== undefined);
      for (let i = 1; present(i); i++) out.push(Object.fromEntries(fields.map((field) => [field, get(`${name}.member.${i}.${field}`)])));
      return out.length || get(name) === '' ? out : undefined;
    },
  };
}

function jsonInput(input: Record<string, unknown>): StsInput {
  const scalar = (name: string, value: unknown): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw wrongType(name);
  };
  const array = (name: string): unknown[] | undefined => {
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw wrongType(name);
    return value;
  };
  return {
    string: (name) => scalar(name, Object.hasOwn(input, name) ? input[name] : undefined),
    list: (name) => array(name)?.map((item) => scalar(name, item) ?? ''),
    structures: (name, fields) =>
      array(name)?.map((item) => {
        if (!item || typeof item !== 'object' || Array.isArray(item)) throw wrongType(name);
        const member = item as Record<string, unknown>;
        return Object.fromEntries(fields.map((field) => [field, scalar(`${name}.${field}`, Object.hasOwn(member, field) ? member[field] : undefined)]));
      }),
  };
}
