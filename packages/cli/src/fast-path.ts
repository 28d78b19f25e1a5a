// `credential-process` runs before every AWS CLI call, and loading commander costs more than the
// rest of the start-up together. Its two flags are parsed here; anything unusual (--help, a typo,
// another command) goes to the full commander program, which gives the proper messages.
import type { CredentialProcessOptions } from './commands/credential-process.ts';

export type FastInvocation = { command: 'credential-process'; options: CredentialProcessOptions };

export function parseFastPath(argv: readonly string[]): FastInvocation | undefined {
  const [command, ...rest] = argv;
  if (command !== 'credential-process') return undefined;
  const options: CredentialProcessOptions = {};
  const flags = { '--profile': 'profile', '--endpoint-url': 'endpointUrl' } as const;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const key = flags[flag as keyof typeof flags];
    if (key === undefined || options[key] !== undefined) return undefined;
    const value = inline ?? (i + 1 < rest.length && !(rest[i + 1] as string).startsWith('-') ? rest[++i] : undefined);
    if (!value) return undefined;
    options[key] = value;
  }
  return { command, options };
}
