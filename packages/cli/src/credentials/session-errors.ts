// What a person is told when a profile has no usable session, and the command that fixes it.
import { usageError } from '../ui/errors.ts';

/** Always with --profile, so it is right whatever AWS_PROFILE says. */
export const loginCommandFor = (profile: string) => `keyless login --profile ${profile}`;

export const notLoggedIn = (profile: string) =>
  usageError('NOT_LOGGED_IN', `Profile "${profile}" is logged out (no cached credentials). Run \`${loginCommandFor(profile)}\` to sign in.`);
