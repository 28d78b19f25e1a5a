// The Keyless service inside the test process, listening on a real socket: a test that mocks
// `Date` (node:test's mock.timers) moves the server's clock with the client's.
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../packages/server/src/config/config.ts';
import { createService, type Service } from '../../../packages/server/src/compose.ts';
import { systemClock } from '../../../packages/server/src/clock.ts';
import { bootstrapIfEmpty } from '../../../packages/server/src/directory/bootstrap.ts';
import { cleanEnv } from './processes.ts';
import { makeTempDir } from './tmp.ts';
import { freePort, ROOT_EMAIL, ROOT_PASSWORD, type AdminTarget } from './server-process.ts';

export interface InProcessServer extends AdminTarget {
  service: Service;
  /** `http://127.0.0.1:PORT`: the public URL, DPoP htu origin and AWS_ENDPOINT_URL_SIGNIN. */
  url: string;
  close(): Promise<void>;
}

export async function startInProcessServer(options: { beforeListen?: (app: FastifyInstance) => void } = {}): Promise<InProcessServer> {
  const dataDir = makeTempDir('data');
  const port = await freePort();
  const config = loadConfig({ KEYLESS_DATA_DIR: dataDir, KEYLESS_PORT: String(port) });
  // systemClock reads Date.now(): a mocked Date is the server's time too.
  const service = await createService(config, { clock: systemClock, logger: false });
  options.beforeListen?.(service.app);
  await service.app.listen({ host: '127.0.0.1', port });
  const bootstrap = await bootstrapIfEmpty(service.deps, { email: ROOT_EMAIL, password: ROOT_PASSWORD });
  return {
    service,
    url: config.publicUrl,
    accountId: bootstrap!.accountId,
    // `keyless admin` child processes open the same SQLite file.
    adminEnv: cleanEnv({ KEYLESS_DATA_DIR: dataDir }),
    close: () => service.close(),
  };
}
