import { findPrincipalOf, setPassword } from '../directory/directory-admin.ts';
import type { Harness } from './harness.ts';

/** Changes a user's password the way `keyless admin set-password` does. */
export const createDirectoryRepoSetter = (h: Harness) => async (userName: string, password: string) => {
  const deps = h.service.deps;
  await setPassword(deps, await findPrincipalOf(deps, h.accountId, userName), password);
};
