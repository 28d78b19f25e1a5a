// What the IAM and Organizations admin commands share: reading a policy document from a flag
// (inline JSON, a file, `file://…` as the AWS CLI spells it, or `-` for stdin), `key=value` pairs,
// the operator as the actor the audit trail names, the deps every command runs with (from the
// composition root) and how a result is printed.
import { readFileSync } from 'node:fs';
import { coreDeps } from '../compose.ts';
import { loadConfig } from '../config/config.ts';
import { operatorRequest } from '../audit/iam-events.ts';
import type { Random } from '../crypto/ids.ts';
import { AdminError, type AdminDeps } from '../directory/directory-admin.ts';
import { openStore } from '../store/store.ts';
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

export interface Io {
  env: NodeJS.ProcessEnv;
  readStdin(): Promise<string>;
  out(text: string): void;
}

export async function withDeps<T>(io: Io, dataDir: string | undefined, work: (deps: AdminDeps) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env, { dataDir });
  const store = await openStore(config.database);
  try {
    return await work(coreDeps(store));
  } finally {
    await store.close();
  }
}

export function print(io: Io, json: boolean | undefined, value: Record<string, unknown>, human: string): void {
  io.out(json ? JSON.stringify(value) + '\n' : human + '\n');
}
