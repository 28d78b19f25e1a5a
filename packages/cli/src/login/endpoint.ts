// Which sign-in endpoint to talk to, found the way the AWS SDKs find a service endpoint
// (PROTOCOL.md "Endpoints and how clients find them"), so one setting serves the AWS CLI, the
// SDKs and keyless alike. Order, after an explicit --endpoint-url:
//   AWS_ENDPOINT_URL_SIGNIN > AWS_ENDPOINT_URL > [services NAME] signin.endpoint_url
//   > the profile's endpoint_url > https://{region}.signin.aws.amazon.com
// and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls switch the middle
// four off, exactly as in @smithy's getEndpointUrlConfig.
import type { IniSections } from '../aws-files/ini.ts';
import { profileSettings, servicesSectionOf, type KeylessService } from '../aws-files/config-profile.ts';
import { usageError } from '../ui/errors.ts';

export type EndpointSource = 'option' | 'env-service' | 'env-global' | 'config-service' | 'config-global' | 'default';

export interface ResolvedEndpoint {
  /** `{base}`, without a trailing slash. */
  url: string;
  source: EndpointSource;
}

type Env = Readonly<Record<string, string | undefined>>;

/** AWS's own endpoint; Keyless is wire-compatible with it. */
export const defaultSigninEndpoint = (region: string) => `https://${region}.signin.aws.amazon.com`;

export function resolveSigninEndpoint(input: {
  option?: string;
  env: Env;
  sections: IniSections;
  profile: string;
  region: string;
}): ResolvedEndpoint {
  if (input.option) return { url: normalizeEndpointUrl(input.option, '--endpoint-url'), source: 'option' };
  const configured = configuredEndpoint(input.env, input.sections, input.profile, 'signin');
  if (configured) return configured;
  return { url: defaultSigninEndpoint(input.region), source: 'default' };
}

/** The endpoint env or config give `service` (`signin`, `sts`), if any. */
export function configuredEndpoint(
  env: Env,
  sections: IniSections,
  profile: string | undefined,
  service: 'signin' | 'sts',
): ResolvedEndpoint | undefined {
  const settings = profile === undefined ? undefined : profileSettings(sections, profile);
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? settings?.ignore_configured_endpoint_urls)) return undefined;
  const serviceEnv = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`];
  if (serviceEnv) return { url: normalizeEndpointUrl(serviceEnv, `AWS_ENDPOINT_URL_${service.toUpperCase()}`), source: 'env-service' };
  if (env.AWS_ENDPOINT_URL) return { url: normalizeEndpointUrl(env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL'), source: 'env-global' };
  const fromConfig = profile === undefined ? undefined : configFileEndpoint(sections, profile, service);
  return fromConfig && { url: normalizeEndpointUrl(fromConfig.url, fromConfig.where), source: fromConfig.source };
}

/** What the config file alone says (no env): used to decide whether --endpoint-url must be saved. */
export function configFileEndpoint(
  sections: IniSections,
  profile: string,
  service: KeylessService,
): { url: string; source: 'config-service' | 'config-global'; where: string } | undefined {
  const services = servicesSectionOf(sections, profile);
  const fromServices = services?.section?.subsections[service]?.endpoint_url;
  if (fromServices) return { url: fromServices, source: 'config-service', where: `[services ${services?.name}] ${service}.endpoint_url` };
  const global = profileSettings(sections, profile)?.endpoint_url;
  return global ? { url: global, source: 'config-global', where: `endpoint_url of profile ${profile}` } : undefined;
}

/** An absolute http(s) URL without query, fragment or trailing slash. */
export function normalizeEndpointUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw usageError('INVALID_ENDPOINT_URL', `${where} is not a URL: ${JSON.stringify(value)}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password) {
    throw usageError('INVALID_ENDPOINT_URL', `${where} must be an http(s) URL without credentials, query or fragment: ${value}`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** Plain http is fine on this machine; anywhere else the tokens would cross the network in the clear. */
export function isInsecureRemote(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname) && !hostname.endsWith('.localhost');
}

const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';
