// The baseline: a bare Fastify app (the server's own Fastify, resolved from packages/server) with
// one POST route that parses a JSON body and answers a JSON body of the refresh response's size.
// Same worker model as `keyless serve`: one process, or a node:cluster primary forking N workers.
// Env: PORT, WORKERS, RESPONSE_BYTES, ROUTE. Prints "listening" on stderr once ready.
import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.PORT);
const workers = Number(process.env.WORKERS ?? 1);
const responseBytes = Number(process.env.RESPONSE_BYTES ?? 560);
const route = process.env.ROUTE ?? '/v1/token';

/** An object shaped like a refresh response whose JSON is exactly `bytes` long. */
export function responseOfSize(bytes) {
  const shape = (filler) => ({
    accessToken: { accessKeyId: 'ASIAXXXXXXXXXXXXXXXX', secretAccessKey: 'x'.repeat(40), sessionToken: filler },
    tokenType: 'aws_sigv4',
    expiresIn: 900,
    refreshToken: `ASOR${'x'.repeat(43)}`,
  });
  const overhead = JSON.stringify(shape('')).length;
  return shape('x'.repeat(Math.max(0, bytes - overhead)));
}

async function serve() {
  const require = createRequire(fileURLToPath(new URL('../../packages/server/package.json', import.meta.url)));
  const { default: Fastify } = await import(require.resolve('fastify'));
  const app = Fastify({ logger: false });
  const payload = responseOfSize(responseBytes);
  app.post(route, async (request, reply) => {
    if (typeof request.body?.refreshToken !== 'string') return reply.code(400).send({ error: 'INVALID_REQUEST' });
    return reply.header('cache-control', 'no-store').send(payload);
  });
  await app.listen({ host: '127.0.0.1', port });
  if (cluster.isPrimary) process.stderr.write('listening\n');
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
}

if (process.env.PORT) {
  if (cluster.isPrimary && workers > 1) {
    for (let i = 0; i < workers; i++) cluster.fork();
    process.stderr.write('listening\n');
    process.once('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
      setTimeout(() => process.exit(0), 1000).unref();
    });
  } else {
    await serve();
  }
}
