// Identifiers of IAM entities and Organizations objects in AWS's shapes, from injected randomness.
import type { Random } from '../crypto/ids.ts';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

function pick(random: Random, alphabet: string, length: number): string {
  let out = '';
  // 256 is not a multiple of 36: reject the top bytes so every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    for (const byte of random.bytes(length)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** `AGPA` + 17: a group's unique id. */
export const newGroupId = (random: Random) => `AGPA${pick(random, UPPER, 17)}`;
/** `AROA` + 17: a role's unique id. */
export const newRoleId = (random: Random) => `AROA${pick(random, UPPER, 17)}`;
/** `ANPA` + 17: a customer-managed policy's unique id. */
export const newPolicyId = (random: Random) => `ANPA${pick(random, UPPER, 17)}`;
/** `o-` + 10: an organization (pattern `o-[a-z0-9]{10,32}`). */
export const newOrganizationId = (random: Random) => `o-${pick(random, LOWER, 10)}`;
/** `r-` + 4: an organization's root (pattern `r-[0-9a-z]{4,32}`). */
export const newRootId = (random: Random) => `r-${pick(random, LOWER, 4)}`;
/** `ou-{root}-{8}`: an OU (pattern `ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}`). */
export const newUnitId = (random: Random, rootId: string) => `ou-${rootId.slice(2)}-${pick(random, LOWER, 8)}`;
/** `p-` + 8: a service control policy (pattern `p-[0-9a-zA-Z_]{8,128}`). */
export const newScpId = (random: Random) => `p-${pick(random, LOWER, 8)}`;
