import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../ui/errors.ts';
import { EXPORT_FORMATS, formatCredentials, pythonIsoformat } from './export-formats.ts';

const CREDENTIALS = {
  accessKeyId: 'ASIAQWERTYUIOPASDFGH',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoKbGVzcw+abc/def==',
  accountId: '111111111111',
  expiresAt: '2026-11-23T20:15:00Z',
};

// What `aws configure export-credentials --format F` prints for these credentials (awscli
// customizations/configure/exportcreds.py; checked against awscli 2.9.19 by credential-process.test.ts).
const GOLDEN: Record<(typeof EXPORT_FORMATS)[number], string> = {
  env:
    'export AWS_ACCESS_KEY_ID=ASIAQWERTYUIOPASDFGH\n' +
    'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' +
    'export AWS_SESSION_TOKEN=IQoKbGVzcw+abc/def==\n' +
    'export AWS_CREDENTIAL_EXPIRATION=2026-11-23T20:15:00+00:00\n',
  'env-no-export':
    'AWS_ACCESS_KEY_ID=ASIAQWERTYUIOPASDFGH\n' +
    'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' +
    'AWS_SESSION_TOKEN=IQoKbGVzcw+abc/def==\n' +
    'AWS_CREDENTIAL_EXPIRATION=2026-11-23T20:15:00+00:00\n',
  powershell:
    '$Env:AWS_ACCESS_KEY_ID="ASIAQWERTYUIOPASDFGH"\n' +
    '$Env:AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"\n' +
    '$Env:AWS_SESSION_TOKEN="IQoKbGVzcw+abc/def=="\n' +
    '$Env:AWS_CREDENTIAL_EXPIRATION="2026-11-23T20:15:00+00:00"\n',
  'windows-cmd':
    'set AWS_ACCESS_KEY_ID=ASIAQWERTYUIOPASDFGH\n' +
    'set AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' +
    'set AWS_SESSION_TOKEN=IQoKbGVzcw+abc/def==\n' +
    'set AWS_CREDENTIAL_EXPIRATION=2026-11-23T20:15:00+00:00\n',
  process:
    '{\n' +
    '  "Version": 1,\n' +
    '  "AccessKeyId": "ASIAQWERTYUIOPASDFGH",\n' +
    '  "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",\n' +
    '  "SessionToken": "IQoKbGVzcw+abc/def==",\n' +
    '  "Expiration": "2026-11-23T20:15:00+00:00"\n' +
    '}\n',
};

describe('formatCredentials', () => {
  for (const format of EXPORT_FORMATS) {
    it(`--format ${format} prints what awscli prints`, () => {
      assert.equal(formatCredentials(format, CREDENTIALS), GOLDEN[format]);
    });
  }

  it('writes the expiration as Python\'s isoformat does, milliseconds as six digits', () => {
    assert.equal(pythonIsoformat('2026-11-23T20:15:00Z'), '2026-11-23T20:15:00+00:00');
    assert.equal(pythonIsoformat('2026-11-23T20:15:00.250Z'), '2026-11-23T20:15:00.250000+00:00');
    assert.equal(pythonIsoformat('2026-11-23T21:15:00+01:00'), '2026-11-23T20:15:00+00:00');
    assert.throws(() => pythonIsoformat('soon'), CliError);
  });

  it('refuses to hand a shell a value it would interpret', () => {
    for (const sessionToken of ['$(touch /tmp/pwned)', 'a b', 'x;y', '`id`', 'a"b', 'a%PATH%']) {
      for (const format of ['env', 'env-no-export', 'powershell', 'windows-cmd'] as const) {
        assert.throws(() => formatCredentials(format, { ...CREDENTIALS, sessionToken }), (error: unknown) => error instanceof CliError && error.code === 'CREDENTIALS_NOT_SHELL_SAFE');
      }
      // JSON escapes whatever it holds.
      assert.equal(JSON.parse(formatCredentials('process', { ...CREDENTIALS, sessionToken })).SessionToken, sessionToken);
    }
  });
});
