// `keyless login --credential-process [NAME]`: beside the login_session profile, a profile for the
// tools that do not know `login_session` (the AWS CLI v1, v2 before 2.32, boto3 without awscrt,
// Terraform): `credential_process = … credential-process --profile P`, the same region, and the
// same services section. The command is `keyless` when that is on PATH and is this very program;
// otherwise this program written absolute (its Node.js and its script), so it runs whatever `node`
// and PATH the tool has.
import { usageError } from '../ui/errors.ts';
import { profileSectionNames, profileSettings, type AwsConfigFile } from './config-profile.ts';
import { setIniValues, type IniTarget } from './ini.ts';

/** How this program was started: the Node.js binary and the script it ran (both real paths). */
export interface SelfCommand {
  node: string;
  script: string | undefined;
}

export const defaultCredentialProcessProfile = (profile: string) => `${profile}-process`;

/** The profile may be new, or one this option wrote before (credential_process only); nothing else. */
export function assertCredentialProcessProfileFree(config: AwsConfigFile, name: string, loginProfile: string): void {
  if (name === loginProfile) throw usageError('CREDENTIAL_PROCESS_PROFILE', `--credential-process needs a profile other than "${loginProfile}" itself (the default is "${defaultCredentialProcessProfile(loginProfile)}").`);
  const settings = profileSettings(config.sections, name);
  const taken = ['login_session', 'aws_access_key_id', 'role_arn', 'sso_session', 'sso_start_url', 'web_identity_token_file'].find((key) => settings && key in settings);
  if (taken) throw usageError('CREDENTIAL_PROCESS_PROFILE', `Profile "${name}" already holds other credentials (${taken}); pass --credential-process OTHER-NAME.`);
}

/** The `credential_process` command line for `profile`: `keyless …` through PATH, else absolute. */
export function credentialProcessCommand(input: { self: SelfCommand; onPath: string | undefined; profile: string }): string {
  const args = ['credential-process', '--profile', input.profile];
  if (input.self.script && input.onPath === input.self.script) return ['keyless', ...args].map(shellWord).join(' ');
  const program = input.self.script ? [input.self.node, input.self.script] : [input.self.node];
  return [...program, ...args].map(shellWord).join(' ');
}

/** The AWS CLI and botocore split credential_process like a POSIX shell: quote only what needs it. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`);

/**
 * `text` (the config as it will be written) with the credential_process profile set: its command,
 * the login's region unless it has one, and the login profile's services section (`services`).
 */
export function editCredentialProcessProfile(config: AwsConfigFile, text: string, input: { name: string; command: string; region: string; services: string | undefined }): string {
  const at = (key: string): IniTarget => ({ sections: profileSectionNames(input.name), key });
  const edits = [
    { target: at('credential_process'), value: input.command },
    { target: at('region'), value: profileSettings(config.sections, input.name)?.region ?? input.region },
  ];
  if (input.services) edits.push({ target: at('services'), value: input.services });
  return setIniValues(text, edits);
}
