// `keyless serve`: open the store, migrate, bootstrap on first start, and listen — with one
// process per core when asked (KEYLESS_WORKERS), all sharing the database.
import cluster from 'node:cluster';
import { loadConfig, type ConfigOverrides, type Config } from '../config/config.ts';
import { coreDeps, createService } from '../compose.ts';
import { bootstrapIfEmpty, type BootstrapResult } from '../directory/bootstrap.ts';
import { SCHEMA_VERSION } from '../store/migrations.ts';
import { openStore } from '../store/store.ts';
import { VERSION } from '../version.ts';

/** How long a shutdown may take to finish the requests in flight before it exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

export async function serve(overrides: ConfigOverrides, env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env, overrides);
  let firstStart: BootstrapResult | undefined;
  if (cluster.isPrimary) {
    // Migrations and bootstrap run once, before any worker accepts a request.
    const store = await openStore(config.database);
    const bootstrap = await bootstrapIfEmpty(coreDeps(store), { email: env.KEYLESS_BOOTSTRAP_EMAIL, password: env.KEYLESS_BOOTSTRAP_PASSWORD });
    await store.close();
    if (config.workers > 1) {
      if (bootstrap) printBootstrap(config, bootstrap);
      return forkWorkers(config);
    }
    // One process: the banner follows Fastify's own "listening" log line, never split by it.
    firstStart = bootstrap;
  }
  const service = await createService(config);
  // One process of each instance keeps house and exports (instances sharing a database claim
  // export batches through it, so each event is written once whichever instance writes it).
  const keeper = cluster.isPrimary || cluster.worker?.id === 1;
  const { jobs } = service;
  const stopHousekeeping = keeper ? jobs.housekeeping() : () => {};
  const stopIndexer = keeper ? jobs.indexer((error) => process.stderr.write(`audit indexing failed: ${(error as Error).message}\n`)) : () => {};
  const stopExporter = keeper ? jobs.exporter((error) => process.stderr.write(`audit export failed: ${(error as Error).message}\n`)) : () => {};
  const bound = await service.app.listen({ host: config.host, port: config.port });
  if (cluster.isPrimary) {
    if (firstStart) printBootstrap(config, firstStart);
    // The address actually bound (port 0 gets a real one), and the public URL when it differs.
    const publicUrl = bound === config.publicUrl ? '' : `, public URL ${config.publicUrl}`;
    process.stderr.write(`Keyless is listening on ${bound} (data: ${config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL'}${publicUrl})\n`);
  }
  const log = service.app.log;
  log.info({ version: VERSION, backend: config.database.kind, schema: SCHEMA_VERSION, node: process.version, pid: process.pid, worker: cluster.worker?.id }, 'Keyless started');
  // On SIGTERM: not ready first (a load balancer stops sending), then stop accepting and finish
  // the requests in flight (Fastify's close; a request arriving meanwhile gets 503), then exit. A
  // close that takes longer than SHUTDOWN_DEADLINE_MS is cut short.
  const stop = async (signal: NodeJS.Signals) => {
    const started = performance.now();
    log.info({ signal }, 'shutting down: not ready, finishing requests in flight');
    service.drain();
    stopHousekeeping();
    stopExporter();
    stopIndexer();
    const deadline = setTimeout(() => {
      log.warn({ ms: SHUTDOWN_DEADLINE_MS }, 'shutdown deadline passed: exiting with requests still open');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    await service.close();
    log.info({ ms: Math.round(performance.now() - started) }, 'shut down');
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function forkWorkers(config: Config): void {
  for (let i = 0; i < config.workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (signal !== 'SIGTERM' && code !== 0) {
      process.stderr.write(`worker ${worker.id} exited (${signal ?? code}); starting another\n`);
      cluster.fork();
    }
  });
  process.stderr.write(`Keyless is listening on ${config.publicUrl} with ${config.workers} workers\n`);
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function printBootstrap(config: Config, result: BootstrapResult): void {
  const lines = [
    '',
    'Keyless created your first account.',
    `  Account ID:     ${result.accountId}`,
    `  Root e-mail:    ${result.rootEmail}`,
    result.generatedPassword
      ? `  Root password:  ${result.generatedPassword}   (shown once; change it with: keyless admin set-password --account ${result.accountId} --root)`
      : '  Root password:  the one in KEYLESS_BOOTSTRAP_PASSWORD',
    '',
    'Sign in from a terminal on this machine (as root, or as the IAM user below):',
    `  npx keyless login --endpoint-url ${config.publicUrl} --profile keyless --region ${config.region}`,
    '  npx keyless whoami --profile keyless',
    '  aws sts get-caller-identity --profile keyless    (an AWS CLI that knows login_session: v2.32 or later;',
    '    for older ones and AWS CLI v1, add --credential-process to keyless login and use the profile it names)',
    '',
    'Create an IAM user for daily work (the password is read from stdin):',
    `  printf '%s' 'a-long-passphrase' | npx keyless admin create-user --account ${result.accountId} --name alice --password-stdin \\`,
    '    --attach-policy arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess --attach-policy arn:aws:iam::aws:policy/ReadOnlyAccess',
    `Console: ${config.publicUrl}/console`,
    '',
  ];
  process.stderr.write(lines.join('\n') + '\n');
}
