// `keyless serve`: open the store, migrate, bootstrap on first start, and listen — with one
// process per core when asked (KEYLESS_WORKERS), all sharing the database.
import cluster from 'node:cluster';
import { loadConfig, type ConfigOverrides, type Config } from '../config/config.ts';
import { coreDeps, createService } from '../compose.ts';
import { bootstrapIfEmpty, type BootstrapResult } from '../directory/bootstrap.ts';
import { openStore } from '../store/store.ts';

export async function serve(overrides: ConfigOverrides, env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env, overrides);
  if (cluster.isPrimary) {
    // Migrations and bootstrap run once, before any worker accepts a request.
    const store = await openStore(config.database);
    const bootstrap = await bootstrapIfEmpty(coreDeps(store), { email: env.KEYLESS_BOOTSTRAP_EMAIL, password: env.KEYLESS_BOOTSTRAP_PASSWORD });
    await store.close();
    if (bootstrap) printBootstrap(config, bootstrap);
    if (config.workers > 1) return forkWorkers(config);
  }
  const service = await createService(config);
  // One process of each instance keeps house and exports (instances sharing a database claim
  // export batches through it, so each event is written once whichever instance writes it).
  const keeper = cluster.isPrimary || cluster.worker?.id === 1;
  const { jobs } = service;
  const stopHousekeeping = keeper ? jobs.housekeeping() : () => {};
  const stopIndexer = keeper ? jobs.indexer((error) => process.stderr.write(`audit indexing failed: ${(error as Error).message}\n`)) : () => {};
  const stopExporter = keeper ? jobs.exporter((error) => process.stderr.write(`audit export failed: ${(error as Error).message}\n`)) : () => {};
  await service.app.listen({ host: config.host, port: config.port });
  if (cluster.isPrimary) {
    process.stderr.write(`Keyless is listening on ${config.publicUrl} (data: ${config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL'})\n`);
  }
  const stop = async () => {
    stopHousekeeping();
    stopExporter();
    stopIndexer();
    await service.close();
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
    'Sign in from a terminal on this machine:',
    `  npx keyless login --endpoint-url ${config.publicUrl} --profile keyless`,
    `  aws sts get-caller-identity --profile keyless`,
    '',
    `Create an IAM user for daily work:  npx keyless admin create-user --account ${result.accountId} --name alice --password-stdin --attach-policy arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess`,
    `Console: ${config.publicUrl}/console`,
    '',
  ];
  process.stderr.write(lines.join('\n') + '\n');
}
