// Micro-benchmark: verifySigV4 alone on the request `aws sts get-caller-identity` sends (header
// form, session token, form body), with the credential lookup answering from memory as the
// server's credential cache does (token digest decoded, signing keys kept with the secret). What
// the front door's verification costs in JavaScript, without HTTP or the store.
//
//   node --import tsx bench/sigv4-verify.mjs [--iterations 20000] [--cold]
//
// --cold reads 32 MB of memory before each call, so every call starts with the caches a busy
// server leaves it (the HTTP stack of other connections ran in between); CPU is then counted
// around the call only.
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { signingKeysOf, signRequest, verifySigV4 } from '../packages/protocol/src/sigv4/index.ts';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '20000' }, cold: { type: 'boolean', default: false } } });
const iterations = values.cold ? Math.min(Number(values.iterations), 3000) : Number(values.iterations);
const credentials = { accessKeyId: 'ASIAQWERTYUIOPASDFGH', secretAccessKey: 'x'.repeat(40), sessionToken: 'T'.repeat(600) };
const body = 'Action=GetCallerIdentity&Version=2011-06-15';
const now = new Date();
const base = { 'content-type': 'application/x-www-form-urlencoded', host: '127.0.0.1:8080' };
const signed = signRequest({ method: 'POST', url: 'http://127.0.0.1:8080/', headers: base, body, credentials, region: 'us-east-1', service: 'sts', now });
// As Node's headersDistinct presents them, with what the AWS CLI also sends.
const headers = Object.fromEntries(
  Object.entries({ ...base, ...signed, 'user-agent': 'aws-cli/2.22.0 md/Botocore#1.35.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6', accept: '*/*', 'content-length': String(body.length), connection: 'keep-alive' }).map(([k, v]) => [k, [v]]),
);
// Fresh strings and objects per call, as Node's HTTP parser hands them over (flat strings decoded
// from the socket's buffer), so nothing is shared between calls but what a server shares.
const wire = Buffer.from(JSON.stringify(headers));
const fresh = () => ({ method: 'POST', path: '/', query: '', headers: JSON.parse(wire.toString('latin1')), body: Buffer.from(body) });
const request = fresh();
const stored = {
  secretAccessKey: credentials.secretAccessKey,
  sessionTokenSha256: createHash('sha256').update(credentials.sessionToken).digest(),
  signingKey: signingKeysOf(credentials.secretAccessKey),
};
const options = { now, service: 'sts', lookupSecret: async () => stored };

for (let i = 0; i < 2000; i++) await verifySigV4(fresh(), options);
if (values.cold) {
  const junk = new Float64Array(4 << 20);
  let sink = 0;
  let cpu = 0;
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < junk.length; j += 8) sink += junk[j];
    const request = fresh();
    const before = process.cpuUsage();
    await verifySigV4(request, options);
    const { user, system } = process.cpuUsage(before);
    cpu += user + system;
  }
  console.log(`verifySigV4, cold caches: ${(cpu / iterations).toFixed(1)} µs CPU per call (${iterations} calls)`);
  process.exit(0);
}
const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
for (let i = 0; i < iterations; i++) await verifySigV4(fresh(), options);
const wallUs = Number(process.hrtime.bigint() - started) / 1000 / iterations;
const { user, system } = process.cpuUsage(cpuBefore);
console.log(`verifySigV4: ${wallUs.toFixed(1)} µs wall, ${((user + system) / iterations).toFixed(1)} µs CPU per call (${iterations} calls)`);
