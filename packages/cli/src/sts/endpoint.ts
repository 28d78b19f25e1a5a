// Which STS endpoint `whoami` calls, resolved the way the SDKs resolve a service endpoint:
//   --endpoint-url > AWS_ENDPOINT_URL_STS > AWS_ENDPOINT_URL > [services NAME] sts.endpoint_url
//   > the profile's endpoint_url > https://sts.{region}.amazonaws.com
// (the middle four are login/endpoint.ts's `configuredEndpoint`, shared with the sign-in endpoint).
import type { IniSections } from '../aws-files/ini.ts';
import { configuredEndpoint, normalizeEndpointUrl, type ResolvedEndpoint } from '../login/endpoint.ts';

/** AWS's regional endpoint; China's regions live under amazonaws.com.cn. */
export const defaultStsEndpoint = (region: string) => `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;

export function resolveStsEndpoint(input: {
  option?: string;
  env: Readonly<Record<string, string | undefined>>;
  sections: IniSections;
  profile: string;
  region: string;
}): ResolvedEndpoint {
  if (input.option) return { url: normalizeEndpointUrl(input.option, '--endpoint-url'), source: 'option' };
  return configuredEndpoint(input.env, input.sections, input.profile, 'sts') ?? { url: defaultStsEndpoint(input.region), source: 'default' };
}
