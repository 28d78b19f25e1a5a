// The GetCallerIdentity baseline: a bare Fastify app (the server's own Fastify) with `POST /`
// that reads the form body and answers a fixed GetCallerIdentity XML document — everything
// Keyless does for the call except verifying SigV4 and looking up the caller.
// Env: PORT, XML (the response body). Prints "listening" on stderr once ready.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../packages/server/package.json', import.meta.url)));
const { default: Fastify } = await import(require.resolve('fastify'));
const app = Fastify({ logger: false });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, new URLSearchParams(body)));
app.post('/', async (request, reply) => {
  if (request.body?.get('Action') !== 'GetCallerIdentity') return reply.code(400).send('bad action');
  return reply.type('text/xml').send(process.env.XML);
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.stderr.write('listening\n');
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
