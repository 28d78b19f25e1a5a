// What `keyless serve` prints on its first start, and `keyless admin` on a usage error (issue 21):
// the bootstrap banner in one piece, the address actually bound, the create-user hint with its
// stdin, the "Try it" hints with the AWS CLI version they need, help printed once.
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { SERVER_BUNDLE } from './support/build.ts';
import { cleanEnv, cleanUp, e2eTest, startKeyless, startProcess } from './support/processes.ts';
import { makeTempDir } from './support/tmp.ts';

after(cleanUp);

e2eTest('first start: the banner is one block, then the line with the address actually bound', { timeout: 60_000 }, async () => {
  const proc = startProcess('keyless serve :0', [SERVER_BUNDLE, 'serve'], {
    env: cleanEnv({ KEYLESS_DATA_DIR: makeTempDir('data'), KEYLESS_PORT: '0', KEYLESS_PUBLIC_URL: 'http://localhost:4999', KEYLESS_LOG_LEVEL: 'info' }),
  });
  const [line, bound, port] = await proc.waitFor('stderr', /Keyless is listening on (http:\/\/127\.0\.0\.1:(\d+)) .*\n/, 30_000);
  assert.notEqual(port, '0');
  assert.match(line!, /, public URL http:\/\/localhost:4999\)\n$/);
  const response = await fetch(`${bound}/v1/token`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(response.headers.get('x-amzn-errortype'), 'ValidationException', 'the printed address is the one serving');

  const stderr = proc.stderr();
  const banner = stderr.slice(stderr.indexOf('Keyless created your first account.'), stderr.indexOf('Keyless is listening on'));
  assert.ok(banner.length > 0, stderr);
  assert.doesNotMatch(banner, /^\{/m, 'no JSON log line inside the banner');
  assert.match(banner, /printf '%s' 'a-long-passphrase' \| npx keyless admin create-user --account \d{12} --name alice --password-stdin/);
  assert.match(banner, /npx keyless whoami --profile keyless/);
  assert.match(banner, /aws sts get-caller-identity --profile keyless +\(an AWS CLI that knows login_session: v2\.32 or later/);
  await proc.stop();
});

e2eTest('keyless admin list-policies without --account says what is missing and prints its help once', { timeout: 30_000 }, async () => {
  const proc = startKeyless('keyless admin list-policies', ['admin', 'list-policies'], { env: cleanEnv({ KEYLESS_DATA_DIR: makeTempDir('data') }) });
  const exit = await proc.exited(20_000);
  assert.notEqual(exit.code, 0);
  const output = proc.stderr() + proc.stdout();
  assert.match(output, /required option '--account <id>' not specified/);
  assert.equal(output.match(/Usage: keyless admin list-policies/g)?.length, 1, output);
});
