// Profiles in the AWS config file: lookup, the rules `login` follows before touching one
// (PROTOCOL.md §3, "CLI rules worth matching"), and the edits it makes.
import { usageError } from '../ui/errors.ts';
import { readTextFile } from './read-text.ts';
import { parseIni, setIniValues, type IniSection, type IniSections, type IniTarget } from './ini.ts';

export interface AwsConfigFile {
  path: string;
  /** The raw text, kept so edits can preserve every other byte. Empty when the file does not exist. */
  text: string;
  exists: boolean;
  sections: IniSections;
}

/** Reads and parses a config or credentials file; a missing file is an empty one. */
export async function readAwsConfigFile(path: string): Promise<AwsConfigFile> {
  const text = await readTextFile(path);
  if (text === undefined) return { path, text: '', exists: false, sections: new Map() };
  return { path, text, exists: true, sections: parseIni(text) };
}

/** Profile names the SDKs' parser accepts in `[profile NAME]` (and that stay safe in a header line). */
const PROFILE_NAME_PATTERN = /^[A-Za-z0-9_@+.%:/-]{1,128}$/;

export function assertValidProfileName(name: string): void {
  if (!PROFILE_NAME_PATTERN.test(name)) {
    throw usageError('INVALID_PROFILE_NAME', `"${name}" is not a usable profile name: use letters, digits and _ - . @ + % : /`);
  }
}

/**
 * The section names a profile may be written under, preferred first. The default profile is
 * `[default]`; `[profile default]` is read too (the JS SDK honours it), but never created.
 */
export function profileSectionNames(profile: string): string[] {
  return profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
}

/** The profile's settings; for `default` both spellings merged, `[profile default]` winning as in the JS SDK. */
export function profileSettings(sections: IniSections, profile: string): Record<string, string> | undefined {
  const found = profileSectionNames(profile)
    .reverse()
    .map((name) => sections.get(name))
    .filter((section): section is IniSection => section !== undefined);
  if (found.length === 0) return undefined;
  return Object.assign({}, ...found.map((section) => section.values)) as Record<string, string>;
}

export const profileExists = (sections: IniSections, profile: string) => profileSettings(sections, profile) !== undefined;

/** Every profile the config file defines (`default` for `[default]` and `[profile default]`), in file order. */
export function profileNames(sections: IniSections): string[] {
  const names = new Set<string>();
  for (const section of sections.keys()) {
    if (section === 'default' || section === 'profile default') names.add('default');
    else if (section.startsWith('profile ')) names.add(section.slice('profile '.length));
  }
  return [...names];
}

/**
 * The profiles whose `login_session` is `loginSession`. They share one cache file (it is named
 * after the principal, as the AWS CLI names it and the SDKs find it), so a login or logout on one
 * of them is one on all of them.
 */
export const profilesUsingSession = (sections: IniSections, loginSession: string): string[] =>
  profileNames(sections).filter((name) => profileSettings(sections, name)?.login_session === loginSession);

/** The `[services NAME]` section a profile points at with `services = NAME`. */
export function servicesSectionOf(sections: IniSections, profile: string): { name: string; section: IniSection | undefined } | undefined {
  const name = profileSettings(sections, profile)?.services;
  return name === undefined ? undefined : { name, section: sections.get(`services ${name}`) };
}

// Keys that give a profile another kind of credentials; the SDKs would use them before
// login_session, so logging in would silently change nothing (PROTOCOL.md §3).
const OTHER_CREDENTIALS: ReadonlyArray<readonly [key: string, kind: string]> = [
  ['aws_access_key_id', 'access keys'],
  ['role_arn', 'an assumed role'],
  ['credential_process', 'a credential process'],
  ['sso_session', 'IAM Identity Center (SSO)'],
  ['sso_start_url', 'IAM Identity Center (SSO)'],
  ['sso_account_id', 'IAM Identity Center (SSO)'],
  ['sso_role_name', 'IAM Identity Center (SSO)'],
  ['web_identity_token_file', 'web identity'],
];

/** Throws when the profile already holds another kind of credentials, in the config or the credentials file. */
export function assertProfileHasNoOtherCredentials(
  profile: string,
  config: AwsConfigFile,
  credentials: AwsConfigFile | undefined,
): void {
  const candidates: Array<[Record<string, string> | undefined, string]> = [
    [profileSettings(config.sections, profile), config.path],
    // The credentials file names sections without the `profile ` prefix.
    [credentials?.sections.get(profile)?.values, credentials?.path ?? ''],
  ];
  for (const [settings, path] of candidates) {
    const hit = settings && OTHER_CREDENTIALS.find(([key]) => key in settings);
    if (!hit) continue;
    throw usageError(
      'PROFILE_HAS_OTHER_CREDENTIALS',
      `Profile "${profile}" is already configured with ${hit[1]} (${hit[0]} in ${path}).\n` +
        `Run \`keyless login --profile NEW-NAME\` to create a separate profile, or remove those settings from "${profile}" first.`,
    );
  }
}

export interface ProfileEdit {
  loginSession: string;
  /** Written only when no region was configured (the user was asked, or passed --region). */
  region?: string;
  /** Persist this sign-in endpoint in the profile's services section (see `endpointServicesEdits`). */
  endpointUrl?: string;
}

/**
 * The services a Keyless server answers on its one base URL (PROTOCOL.md "Endpoints"): the sign-in
 * API, and on `POST /` STS, the IAM Query API and CloudTrail LookupEvents. Each is a sub-key of the
 * profile's services section, named as the SDKs name it (the service id, lower case), so one
 * profile reaches all of them without --endpoint-url.
 */
export const KEYLESS_SERVICES = ['signin', 'sts', 'iam', 'cloudtrail'] as const;
export type KeylessService = (typeof KEYLESS_SERVICES)[number];

/** A name for a services section we create: one per profile, so profiles never clobber each other. */
export const defaultServicesName = (profile: string) => `keyless-${profile}`;

/** The config text with login_session (and region, and the endpoint) set in the profile. */
export function editProfile(config: AwsConfigFile, profile: string, edit: ProfileEdit): { text: string; servicesName?: string } {
  const sections = profileSectionNames(profile);
  const at = (key: string): IniTarget => ({ sections, key });
  const edits: Array<{ target: IniTarget; value: string }> = [{ target: at('login_session'), value: edit.loginSession }];
  if (edit.region !== undefined) edits.push({ target: at('region'), value: edit.region });
  let servicesName: string | undefined;
  if (edit.endpointUrl !== undefined) {
    servicesName = servicesSectionOf(config.sections, profile)?.name ?? defaultServicesName(profile);
    edits.push({ target: at('services'), value: servicesName });
    for (const service of KEYLESS_SERVICES) {
      edits.push({ target: { sections: [`services ${servicesName}`], subsection: service, key: 'endpoint_url' }, value: edit.endpointUrl });
    }
  }
  return { text: setIniValues(config.text, edits), servicesName };
}
