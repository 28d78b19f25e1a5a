// The official client end to end: @aws-sdk/client-sts sends GetCallerIdentity through an
// in-process handler that verifies with verifySigV4 and answers like STS (PROTOCOL.md §4). The
// skew case shows why RequestExpired was chosen: the SDK corrects its clock and retries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SigV4Error } from './errors.ts';
import { receivedRequestOf } from './testing.ts';
import { verifySigV4 } from './verify.ts';

const CREDENTIALS = {
  accessKeyId: 'ASIAKEYLESSTEST00001',
  secretAccessKey: 'kEyLeSs/SeCrEt+AcCeSs/KeY0123456789ABCDE',
  sessionToken: 'IQoJb3JpZ2luX2VjEKr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+test/token==',
};

const xmlResponse = (statusCode: number, body: string, serverNow: Date) => ({
  response: {
    statusCode,
    headers: { 'content-type': 'text/xml', date: serverNow.toUTCString() },
    body: Buffer.from(body),
  },
});

/** A test double of the server edge; the real serialiser lives in packages/server. */
function stsClient(serverClock: () => Date, secretAccessKey = CREDENTIALS.secretAccessKey) {
  const outcomes: string[] = [];
  const client = new STSClient({
    region: 'us-east-1',
    endpoint: 'https://sts.keyless.test',
    credentials: { ...CREDENTIALS, secretAccessKey },
    requestHandler: {
      handle: async (request: { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown }) => {
        const now = serverClock();
        try {
          const verified = await verifySigV4(receivedRequestOf(request), {
            now,
            service: 'sts',
            regions: ['us-east-1'],
            lookupSecret: async (id) =>
              id === CREDENTIALS.accessKeyId ? { secretAccessKey: CREDENTIALS.secretAccessKey, sessionToken: CREDENTIALS.sessionToken } : undefined,
          });
          outcomes.push('ok');
          return xmlResponse(
            200,
            `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
              `<Arn>arn:aws:iam::111111111111:user/alice</Arn><UserId>${verified.accessKeyId}</UserId><Account>111111111111</Account>` +
              `</GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
            now,
          );
        } catch (error) {
          if (!(error instanceof SigV4Error)) throw error;
          outcomes.push(error.code);
          return xmlResponse(
            error.status,
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${error.type}</Type>` +
              `<Code>${error.code}</Code><Message>${error.message}</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`,
            now,
          );
        }
      },
    },
  });
  return { client, outcomes };
}

describe('@aws-sdk/client-sts against verifySigV4', () => {
  it('GetCallerIdentity with session credentials verifies', async () => {
    const { client, outcomes } = stsClient(() => new Date());
    const identity = await client.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.UserId, CREDENTIALS.accessKeyId);
    assert.deepEqual(outcomes, ['ok']);
  });

  it('a client clock 10 minutes behind gets RequestExpired, corrects its clock and succeeds', async () => {
    const { client, outcomes } = stsClient(() => new Date(Date.now() + 10 * 60_000));
    const identity = await client.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '111111111111');
    assert.deepEqual(outcomes, ['RequestExpired', 'ok']);
  });

  it('a wrong secret surfaces as SignatureDoesNotMatch (403)', async () => {
    const { client } = stsClient(() => new Date(), 'wrong-secret');
    await assert.rejects(client.send(new GetCallerIdentityCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'SignatureDoesNotMatch');
      assert.equal(error.$metadata?.httpStatusCode, 403);
      return true;
    });
  });
});
