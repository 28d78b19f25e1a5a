import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError, ExitCode } from '../ui/errors.ts';
import { parseIni } from './ini.ts';
import {
  assertProfileHasNoOtherCredentials,
  assertValidProfileName,
  editProfile,
  profileSettings,
  servicesSectionOf,
  type AwsConfigFile,
} from './config-profile.ts';

const file = (text: string, path = '/home/u/.aws/config'): AwsConfigFile => ({ path, text, exists: text !== '', sections: parseIni(text) });
const none = file('', '/home/u/.aws/credentials');

describe('assertProfileHasNoOtherCredentials', () => {
  const kinds = [
    'aws_access_key_id = AKIAEXAMPLE',
    'role_arn = arn:aws:iam::111111111111:role/x',
    'credential_process = /usr/bin/thing',
    'sso_session = corp',
    'sso_start_url = https://corp.awsapps.com/start',
    'sso_account_id = 111111111111',
    'web_identity_token_file = /var/run/token',
  ];
  for (const line of kinds) {
    const key = line.split(' ')[0] as string;
    it(`refuses a profile with ${key}, naming the key and the file`, () => {
      assert.throws(
        () => assertProfileHasNoOtherCredentials('dev', file(`[profile dev]\n${line}\n`), none),
        (error: unknown) =>
          error instanceof CliError &&
          error.code === 'PROFILE_HAS_OTHER_CREDENTIALS' &&
          error.exitCode === ExitCode.Usage &&
          error.message.includes(key) &&
          error.message.includes('/home/u/.aws/config'),
      );
    });
  }

  it('refuses static keys for the profile in the credentials file (sections without "profile ")', () => {
    const credentials = file('[dev]\naws_access_key_id = AKIA\naws_secret_access_key = x\n', '/home/u/.aws/credentials');
    assert.throws(() => assertProfileHasNoOtherCredentials('dev', file(''), credentials), /credentials/);
  });

  it('accepts a new profile, a login profile, and one with only region/output', () => {
    assertProfileHasNoOtherCredentials('new', file('[profile other]\nrole_arn = x\n'), none);
    assertProfileHasNoOtherCredentials('dev', file('[profile dev]\nlogin_session = arn:aws:iam::111111111111:user/a\nregion = us-east-1\n'), none);
  });

  it('checks [default] and [profile default] for the default profile, and not [profile x] for it', () => {
    assert.throws(() => assertProfileHasNoOtherCredentials('default', file('[default]\nrole_arn = x\n'), none));
    assert.throws(() => assertProfileHasNoOtherCredentials('default', file('[profile default]\nrole_arn = x\n'), none));
    assertProfileHasNoOtherCredentials('default', file('[profile x]\nrole_arn = x\n'), none);
  });
});

describe('profile lookup', () => {
  it('reads [default] for "default" and [profile NAME] otherwise', () => {
    const { sections } = file('[default]\nregion = a\n[profile default]\noutput = json\n[profile dev]\nregion = b\n[dev]\nregion = wrong\n');
    assert.deepEqual(profileSettings(sections, 'default'), { region: 'a', output: 'json' });
    assert.deepEqual(profileSettings(sections, 'dev'), { region: 'b' });
    assert.equal(profileSettings(sections, 'missing'), undefined);
  });

  it('finds the services section a profile names', () => {
    const { sections } = file('[profile dev]\nservices = local\n[services local]\nsignin =\n  endpoint_url = http://k\n');
    assert.deepEqual(servicesSectionOf(sections, 'dev'), { name: 'local', section: { values: {}, subsections: { signin: { endpoint_url: 'http://k' } } } });
  });

  it('rejects profile names that would break the file', () => {
    assert.throws(() => assertValidProfileName('a]b'), CliError);
    assert.throws(() => assertValidProfileName('with space'), CliError);
    assert.throws(() => assertValidProfileName(''), CliError);
    assertValidProfileName('team-a.dev@corp');
  });
});

describe('editProfile', () => {
  it('sets login_session and region in a new profile', () => {
    const result = editProfile(file('[default]\nregion = x\n'), 'dev', { loginSession: 'arn:aws:iam::111111111111:user/a', region: 'eu-west-1' });
    assert.equal(result.text, '[default]\nregion = x\n\n[profile dev]\nlogin_session = arn:aws:iam::111111111111:user/a\nregion = eu-west-1\n');
  });

  it('saves an endpoint as signin, sts, iam and cloudtrail sub-keys of a per-profile services section', () => {
    const result = editProfile(file(''), 'default', { loginSession: 'S', endpointUrl: 'https://keyless.example.com' });
    assert.equal(result.servicesName, 'keyless-default');
    assert.equal(
      result.text,
      '[default]\nlogin_session = S\nservices = keyless-default\n\n[services keyless-default]\nsignin =\n  endpoint_url = https://keyless.example.com\nsts =\n  endpoint_url = https://keyless.example.com\n' +
        'iam =\n  endpoint_url = https://keyless.example.com\ncloudtrail =\n  endpoint_url = https://keyless.example.com\n',
    );
  });

  it('reuses the services section the profile already names, keeping its other services', () => {
    const before = '[profile dev]\nservices = mine\n\n[services mine]\ns3 =\n  endpoint_url = http://s3\nsignin =\n  endpoint_url = http://old\n';
    const result = editProfile(file(before), 'dev', { loginSession: 'S', endpointUrl: 'http://new' });
    assert.equal(result.servicesName, 'mine');
    assert.equal(
      result.text,
      '[profile dev]\nservices = mine\nlogin_session = S\n\n[services mine]\ns3 =\n  endpoint_url = http://s3\nsignin =\n  endpoint_url = http://new\nsts =\n  endpoint_url = http://new\n' +
        'iam =\n  endpoint_url = http://new\ncloudtrail =\n  endpoint_url = http://new\n',
    );
  });
});
