// `credential-process` runs before every AWS CLI call, and loading commander costs more than the
// rest of the start-up together. Its one flag is parsed here; anything unusual (--help, a typo,
// another command) goes to the full commander program, which gives the proper messages.
import type { CredentialProcessOptions } from './commands/credential-process.ts';

export type FastInvocation = { command: 'credential-process'; options: CredentialProcessOptions };

export function parseFastPath(argv: readonly string[]): FastInvocation | undefined {
  const [command, ...rest] = argv;
  if (command !== 'credential-process') return undefined;
  const options: CredentialProcessOptions = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--profile' && i + 1 < rest.length && !(rest[i + 1] as string).startsWith('-') && options.profile === undefined) {
      options.profile = rest[++i];
    } else if (arg.startsWith('--profile=') && arg.length > '--profile='.length && options.profile === undefined) {
      options.profile = arg.slice('--profile='.length);
    } else {
      return undefined;
    }
  }
  return { command, options };
}
