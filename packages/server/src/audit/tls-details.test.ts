// tlsDetails, when the request came over TLS: the whole login (console sign-in, authorize, token)
// over HTTPS with a self-signed certificate made for this test by openssl, then the records
// compared with the golden samples field for field — tlsDetails included, last, as in them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest, createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDpopProof } from '@keyless/protocol';
import { systemClock } from '../clock.ts';
import { createService, type Service } from '../compose.ts';
import { loadConfig } from '../config/config.ts';
import { createAccount, createUser } from '../directory/directory-admin.ts';
import { allowLogin, formFields, newLoginAttempt, redeemBody } from '../testing/harness.ts';
import { sample } from './golden-samples.ts';

const ACCOUNT = '333333333333';
const PASSWORD = 'tls-test-password-1';

function openssl(): string | false {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'openssl is not installed: no certificate to serve TLS with';
  }
}

/** A self-signed certificate for localhost (P-256), made now. */
function selfSigned(dir: string): { key: string; cert: string } {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('tlsDetails over HTTPS', { skip: openssl() }, () => {
  let dir: string;
  let service: Service;
  let server: Server;
  let base: string;
  let ca: string;
  const cookies = new Map<string, string>();

  const send = (method: 'GET' | 'POST', path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const req = httpsRequest(`${base}${path}`, { method, ca, headers: { 'user-agent': 'tls-test/1.0', ...(cookie && { cookie }), ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair] = line.split(';');
            cookies.set(pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1));
          }
          resolve({ status: res.statusCode!, headers: res.headers, body: text });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  const form = (path: string, fields: Record<string, string>) => send('POST', path, new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyless-tls-'));
    const { key, cert } = selfSigned(dir);
    ca = cert;
    server = createServer({ key, cert });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    base = `https://localhost:${port}`;
    const config = loadConfig({ KEYLESS_DATA_DIR: join(dir, 'data'), KEYLESS_PORT: String(port), KEYLESS_PUBLIC_URL: base });
    service = await createService(config, { clock: systemClock, logger: false });
    await service.app.ready();
    server.on('request', (req, res) => service.app.routing(req, res));
    const deps = service.deps;
    await createAccount(deps, { rootEmail: 'tls@example.com', rootPassword: PASSWORD, accountId: ACCOUNT });
    await createUser(deps, { accountId: ACCOUNT, userName: 'tess', password: PASSWORD });
    await allowLogin(deps, ACCOUNT, 'tess');
  });
  after(async () => {
    server?.close();
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the TLS version, cipher suite and Host header in AuthorizeOAuth2Access and CreateOAuth2Token', async () => {
    const signInPage = await send('GET', '/console/signin?mode=iam');
    const signedIn = await form('/console/signin', { ...formFields(signInPage.body, '/console/signin'), account: ACCOUNT, username: 'tess', password: PASSWORD });
    assert.equal(signedIn.status, 303, signedIn.body);
    const attempt = newLoginAttempt(undefined);
    const chooser = await send('GET', `/v1/authorize?${new URLSearchParams(attempt.params)}`);
    assert.equal(chooser.status, 200, chooser.body);
    const approved = await form('/v1/authorize/continue', formFields(chooser.body, '/v1/authorize/continue'));
    assert.equal(approved.status, 303, approved.body);
    const code = new URL(String(approved.headers.location)).searchParams.get('code')!;
    const dpop = createDpopProof({ privateKey: attempt.key, htm: 'POST', htu: `${base}/v1/token`, now: Date.now() / 1000 });
    const token = await send('POST', '/v1/token', JSON.stringify(redeemBody(attempt, code)), { 'content-type': 'application/json', dpop });
    assert.equal(token.status, 200, token.body);

    for (const [name, response] of [['AuthorizeOAuth2Access', approved], ['CreateOAuth2Token', token]] as const) {
      const [row] = await service.store.read((rs) => rs.audit.list({ eventName: name, limit: 1 }));
      const record = JSON.parse(row!.record) as Record<string, any>;
      const golden = sample(name);
      assert.deepEqual(Object.keys(record), Object.keys(golden), 'every field of the sample, in its order');
      assert.deepEqual(Object.keys(record.tlsDetails), Object.keys(golden.tlsDetails));
      assert.match(record.tlsDetails.tlsVersion, /^TLSv1\.[23]$/);
      assert.match(record.tlsDetails.cipherSuite, /^TLS_[A-Z0-9_]+$/, 'the IANA name, as AWS writes it');
      assert.equal(record.tlsDetails.clientProvidedHostHeader, new URL(base).host);
      assert.equal(record.requestID, response.headers['x-amzn-requestid']);
      assert.equal(record.userAgent, 'tls-test/1.0');
      assert.equal(record.sourceIPAddress, '127.0.0.1');
    }
  });
});
