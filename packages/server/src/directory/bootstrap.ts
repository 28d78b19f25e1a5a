// First start: create an account and its root user, and say once how to sign in.
import { randomBytes } from 'node:crypto';
import type { AdminDeps } from './directory-admin.ts';
import { createAccount } from './directory-admin.ts';

export interface BootstrapResult {
  accountId: string;
  rootEmail: string;
  /** Only when Keyless generated it: printed once, never stored in clear. */
  generatedPassword?: string;
}

/** Runs only on an empty installation, and only once even when several instances start together. */
export async function bootstrapIfEmpty(
  deps: AdminDeps,
  input: { email?: string; password?: string },
): Promise<BootstrapResult | undefined> {
  if ((await deps.store.read((rs) => rs.directory.listAccounts())).length > 0) return undefined;
  if (!(await deps.store.read((rs) => rs.settings.insertIfAbsent('bootstrapped', String(deps.clock.now()))))) return undefined;
  const generatedPassword = input.password ? undefined : randomBytes(18).toString('base64url');
  const rootEmail = input.email ?? 'admin@keyless.local';
  const { account } = await createAccount(deps, { rootEmail, rootPassword: input.password ?? generatedPassword! });
  return { accountId: account.id, rootEmail, generatedPassword };
}
