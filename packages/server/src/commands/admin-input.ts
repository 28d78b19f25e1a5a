// What the IAM and Organizations admin commands share: reading a policy document from a flag
// (inline JSON, a file, `file://…` as the AWS CLI spells it, or `-` for stdin), `key=value` pairs,
// and the operator as the actor the audit trail names.
import { readFileSync } from 'node:fs';
import { operatorRequest } from '../audit/iam-events.ts';
import type { Random } from '../crypto/ids.ts';
import { AdminError } from '../directory/directory-admin.ts';
import type { AuditedBy } from '../iam/admin/deps.ts';

/** Commander's collector for repeatable options. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export async function documentFrom(value: string, readStdin: () => Promise<string>): Promise<string> {
  if (value === '-') return readStdin();
  if (value.trimStart().startsWith('{')) return value;
  const path = value.startsWith('file://') ? value.slice('file://'.length) : value;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AdminError(`Cannot read the policy document ${JSON.stringify(path)}: ${(error as Error).message}. Give JSON, a file, file://FILE, or - for stdin.`);
  }
}

/** `key=value` pairs; a key given twice collects its values into a list (for multivalued keys). */
export function keyValues(pairs: readonly string[], what: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new AdminError(`${what} ${JSON.stringify(pair)} is not KEY=VALUE.`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

export function tagsFrom(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(keyValues(pairs, 'The tag'))) {
    if (Array.isArray(value)) throw new AdminError(`The tag ${key} is given twice.`);
    out[key] = value;
  }
  return out;
}

/** `keyless admin` at the server: the audit trail names the tool and the command. */
export const operatorBy = (deps: { random: Random }, command: string): AuditedBy => operatorRequest(deps.random, command);
