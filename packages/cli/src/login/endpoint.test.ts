import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIni } from '../aws-files/ini.ts';
import { CliError } from '../ui/errors.ts';
import { isInsecureRemote, normalizeEndpointUrl, resolveSigninEndpoint } from './endpoint.ts';

const CONFIG = parseIni(
  [
    '[profile dev]',
    'services = local',
    'endpoint_url = http://global-config',
    '[services local]',
    'signin =',
    '  endpoint_url = http://service-config/',
    '[profile plain]',
    'endpoint_url = http://global-config',
    '[profile ignoring]',
    'services = local',
    'ignore_configured_endpoint_urls = true',
  ].join('\n'),
);

const resolve = (env: Record<string, string>, profile = 'dev', option?: string) =>
  resolveSigninEndpoint({ option, env, sections: CONFIG, profile, region: 'eu-west-1' });

describe('resolveSigninEndpoint', () => {
  const everything = { AWS_ENDPOINT_URL_SIGNIN: 'http://service-env', AWS_ENDPOINT_URL: 'http://global-env' };

  it('takes --endpoint-url before anything else', () => {
    assert.deepEqual(resolve(everything, 'dev', 'https://option.example/'), { url: 'https://option.example', source: 'option' });
  });
  it('then AWS_ENDPOINT_URL_SIGNIN', () => {
    assert.deepEqual(resolve(everything), { url: 'http://service-env', source: 'env-service' });
  });
  it('then AWS_ENDPOINT_URL', () => {
    assert.deepEqual(resolve({ AWS_ENDPOINT_URL: 'http://global-env' }), { url: 'http://global-env', source: 'env-global' });
  });
  it('then the profile\'s [services] signin endpoint_url', () => {
    assert.deepEqual(resolve({}), { url: 'http://service-config', source: 'config-service' });
  });
  it('then the profile\'s own endpoint_url', () => {
    assert.deepEqual(resolve({}, 'plain'), { url: 'http://global-config', source: 'config-global' });
  });
  it('then AWS\'s https://{region}.signin.aws.amazon.com', () => {
    assert.deepEqual(resolve({}, 'nobody'), { url: 'https://eu-west-1.signin.aws.amazon.com', source: 'default' });
  });
  it('ignores configured endpoints when told to (profile or env), but never --endpoint-url', () => {
    assert.equal(resolve({ AWS_ENDPOINT_URL_SIGNIN: 'http://service-env' }, 'ignoring').source, 'default');
    assert.equal(resolve({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).source, 'default');
    assert.equal(resolve({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'dev', 'http://o').source, 'option');
  });
  it('rejects what is not an http(s) base URL', () => {
    for (const bad of ['not a url', 'ftp://x', 'https://x/?q=1', 'https://user:pw@x', 'https://x/#f']) {
      assert.throws(() => normalizeEndpointUrl(bad, '--endpoint-url'), CliError, bad);
    }
    assert.equal(normalizeEndpointUrl('https://X.example:443/base/', 'x'), 'https://x.example/base');
  });
  it('flags plain http to another machine, not to this one', () => {
    assert.equal(isInsecureRemote('http://keyless.internal'), true);
    assert.equal(isInsecureRemote('http://127.0.0.1:8080'), false);
    assert.equal(isInsecureRemote('http://localhost:8080'), false);
    assert.equal(isInsecureRemote('https://keyless.example'), false);
  });
});
