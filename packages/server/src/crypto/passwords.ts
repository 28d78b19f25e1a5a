// Passwords: argon2id with OWASP's recommended parameters (m=19 MiB, t=2, p=1).
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

// A fixed hash to verify against when the principal does not exist, so both paths cost the same
// and response time does not tell whether a user exists.
let decoy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hashPassword('keyless-decoy-password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

/** Basic policy for new passwords: long enough, not absurdly long. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 8) return 'Passwords must be at least 8 characters long.';
  if (password.length > 256) return 'Passwords must be at most 256 characters long.';
  return undefined;
}
