import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIni } from '../aws-files/ini.ts';
import { resolveStsEndpoint } from './endpoint.ts';

const SECTIONS = parseIni(
  ['[profile dev]', 'services = local', 'endpoint_url = http://profile-global', '[services local]', 'sts =', '  endpoint_url = http://services-sts/', '[profile plain]', 'endpoint_url = http://profile-global'].join('\n'),
);

describe('resolveStsEndpoint', () => {
  const env = { AWS_ENDPOINT_URL_STS: 'http://env-sts', AWS_ENDPOINT_URL: 'http://env-global' };
  const cases: Array<[string, Parameters<typeof resolveStsEndpoint>[0], string, string]> = [
    ['--endpoint-url first', { option: 'http://option/', env, sections: SECTIONS, profile: 'dev', region: 'eu-west-1' }, 'http://option', 'option'],
    ['then AWS_ENDPOINT_URL_STS', { env, sections: SECTIONS, profile: 'dev', region: 'eu-west-1' }, 'http://env-sts', 'env-service'],
    ['then AWS_ENDPOINT_URL', { env: { AWS_ENDPOINT_URL: 'http://env-global' }, sections: SECTIONS, profile: 'dev', region: 'eu-west-1' }, 'http://env-global', 'env-global'],
    ['then the services section\'s sts', { env: {}, sections: SECTIONS, profile: 'dev', region: 'eu-west-1' }, 'http://services-sts', 'config-service'],
    ['then the profile\'s endpoint_url', { env: {}, sections: SECTIONS, profile: 'plain', region: 'eu-west-1' }, 'http://profile-global', 'config-global'],
    ['then AWS\'s regional endpoint', { env: {}, sections: SECTIONS, profile: 'nobody', region: 'eu-west-1' }, 'https://sts.eu-west-1.amazonaws.com', 'default'],
    ['in China under amazonaws.com.cn', { env: {}, sections: SECTIONS, profile: 'nobody', region: 'cn-north-1' }, 'https://sts.cn-north-1.amazonaws.com.cn', 'default'],
  ];
  for (const [name, input, url, source] of cases) {
    it(name, () => assert.deepEqual(resolveStsEndpoint(input), { url, source }));
  }
});
