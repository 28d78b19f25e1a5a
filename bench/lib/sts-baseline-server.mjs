// The GetCallerIdentity baseline: a bare Fastify app (the server's own Fastify) with `POST /`
// that reads the form body and answers a fixed GetCallerIdentity XML document — everything
// Keyless does for the call except verifying SigV4 and looking up the caller.
// Same worker model as `keyless serve`: one process, or a node:cluster primary forking N workers.
// Env: PORT, XML (the response body), WORKERS. Prints "listening" on stderr once ready.
import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const workers = Number(process.env.WORKERS ?? 1);

async function serve() {
  const require = createRequire(fileURLToPath(new URL('../../packages/server/package.json', import.meta.url)));
  const { default: Fastify } = await import(require.resolve('fastify'));
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, new URLSearchParams(body)));
  app.post('/', async (request, reply) => {
    if (request.body?.get('Action') !== 'GetCallerIdentity') return reply.code(400).send('bad action');
    return reply.type('text/xml').send(process.env.XML);
  });
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  if (cluster.isPrimary) process.stderr.write('listening\n');
  else process.send?.('listening');
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
}

if (cluster.isPrimary && workers > 1) {
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (message) => {
      if (message === 'listening' && ++listening === workers) process.stderr.write('listening\n');
    });
  }
  process.once('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 1000).unref();
  });
} else {
  await serve();
}
