// The sign-in endpoint that refreshes (or revokes) a cached session: the one env or config names
// for the profile, exactly as `login` resolves it (login/endpoint.ts), else AWS's endpoint for the
// region the session signed in to — the cache file's `signInRegion`, then the profile's region and
// AWS_REGION, the order of the JS SDK's login provider (PROTOCOL.md §3).
import type { IniSections } from '../aws-files/ini.ts';
import { profileSettings } from '../aws-files/config-profile.ts';
import { configuredEndpoint, defaultSigninEndpoint } from '../login/endpoint.ts';

type Env = Readonly<Record<string, string | undefined>>;

// It becomes part of a hostname.
const REGION_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `{base}` without a trailing slash, or undefined when neither an endpoint nor a region is known. */
export function sessionSigninEndpoint(input: {
  env: Env;
  sections: IniSections;
  /** undefined for a cache file no profile names (`logout --all`). */
  profile: string | undefined;
  signInRegion: unknown;
}): string | undefined {
  const configured = configuredEndpoint(input.env, input.sections, input.profile, 'signin');
  if (configured) return configured.url;
  const region =
    (typeof input.signInRegion === 'string' && input.signInRegion) ||
    (input.profile !== undefined && profileSettings(input.sections, input.profile)?.region) ||
    input.env.AWS_REGION ||
    input.env.AWS_DEFAULT_REGION;
  return region && REGION_PATTERN.test(region) ? defaultSigninEndpoint(region) : undefined;
}
