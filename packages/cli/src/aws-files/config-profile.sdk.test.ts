// The services section `keyless login --endpoint-url` writes, read by the official SDK for
// JavaScript: each client Keyless serves on its base URL sends its request there, with no
// endpoint option. No network: the request handler records the request and stops it.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { editProfile } from './config-profile.ts';

const KEYLESS = 'http://keyless.internal:4466';
const ENV_KEYS = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_CLOUDTRAIL', 'AWS_ENDPOINT_URL_STS', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'];

class Stop extends Error {}

/** A request handler that records where the SDK sends a request, then fails it. */
function recordingHandler() {
  const urls: string[] = [];
  return {
    urls,
    handler: {
      handle: async (request: { protocol: string; hostname: string; port?: number; path: string }) => {
        urls.push(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`);
        throw new Stop('recorded');
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
    },
  };
}

describe('the AWS SDK for JavaScript reads the services section editProfile writes', () => {
  let dir: string;
  const saved = new Map(ENV_KEYS.map((key) => [key, process.env[key]]));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyless-sdk-endpoints-'));
    const { text } = editProfile({ path: '', text: '', exists: false, sections: new Map() }, 'dev', {
      loginSession: 'arn:aws:iam::111111111111:user/alice',
      region: 'us-east-1',
      endpointUrl: KEYLESS,
    });
    await writeFile(join(dir, 'config'), text);
    for (const key of ENV_KEYS) delete process.env[key];
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    // The SDK takes the endpoint from the AWS_PROFILE profile (its `profile` option picks only
    // credentials and region), which is how `--profile`-less tools and `export AWS_PROFILE=dev` work.
    process.env.AWS_PROFILE = 'dev';
  });

  after(async () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  // Static credentials: this is about the endpoint, not the login provider.
  const credentials = { accessKeyId: 'ASIAEXAMPLEEXAMPLE00', secretAccessKey: 'secret', sessionToken: 'token' };

  const cases = [
    ['IAM', (handler: object) => new IAMClient({ credentials, maxAttempts: 1, requestHandler: handler }).send(new ListUsersCommand({}))],
    ['CloudTrail', (handler: object) => new CloudTrailClient({ credentials, maxAttempts: 1, requestHandler: handler }).send(new LookupEventsCommand({}))],
    ['STS', (handler: object) => new STSClient({ credentials, maxAttempts: 1, requestHandler: handler }).send(new GetCallerIdentityCommand({}))],
  ] as const;

  for (const [service, send] of cases) {
    it(`${service} sends to the Keyless base URL`, async () => {
      const { urls, handler } = recordingHandler();
      await assert.rejects(send(handler), Stop);
      assert.deepEqual(urls, [`${KEYLESS}/`]);
    });
  }
});
