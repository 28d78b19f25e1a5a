// README.md's "Five minutes with Keyless", executed: its commands are read from the README itself,
// so the test breaks when the README drifts, and each must succeed in order, as a newcomer pastes
// them, with the AWS CLIs this machine has (the first `aws` on PATH, an AWS CLI v1 here, and
// Debian's /usr/bin/aws 2.9). What a test cannot do as a person does: `npm ci` has already run
// (the suite runs in an installed checkout), and `npm start` is run as the command it names
// (`keyless serve`, exec'd, so that stopping it stops the server and not only npm); the port is a
// free one instead of 4466 (others may hold it), substituted in every command; the browser step is
// walked over HTTP by FormBrowser.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { REPO } from './support/build.ts';
import { FormBrowser } from './support/form-browser.ts';
import { cleanEnv, cleanUp, e2eTest, startProcess } from './support/processes.ts';
import { freePort } from './support/server-process.ts';
import { makeTempDir } from './support/tmp.ts';

after(cleanUp);

/** The commands of the README's walkthrough: comment lines dropped, continued lines joined. */
export function walkthroughCommands(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Five minutes with Keyless'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the README has a "Five minutes with Keyless" sh block');
  const commands: string[] = [];
  let pending = '';
  for (const line of block.split('\n')) {
    if (!pending && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    pending += pending ? ` ${line.trim()}` : line.trim();
    if (pending.endsWith('\\')) pending = pending.slice(0, -1).trimEnd();
    else (commands.push(pending), (pending = ''));
  }
  return commands;
}

const README_URL = 'http://127.0.0.1:4466';

e2eTest("README.md's five-minute walkthrough: every command succeeds, pasted in order", { timeout: 180_000 }, async () => {
  const commands = walkthroughCommands(readFileSync(join(REPO, 'README.md'), 'utf8'));
  const [start, ...rest] = commands;
  assert.equal(start, 'npm ci && npm start', 'step 1 starts the service');
  assert.ok(commands.some((c) => c.includes(README_URL)), `the walkthrough uses ${README_URL}`);

  const home = makeTempDir('readme-home');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Only what a fresh shell has: PATH (npm's, with node_modules/.bin) and HOME; nothing of ours.
  const shellEnv: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
  const serverEnv = cleanEnv({ ...shellEnv, KEYLESS_PORT: String(port) });
  delete serverEnv.DISPLAY;
  const startScript = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  assert.equal(startScript, 'keyless serve');
  const server = startProcess('npm start', ['-c', `exec ${startScript}`], { command: 'bash', env: serverEnv });
  await server.waitFor('stderr', /Keyless is listening on/, 60_000);

  const variables: Record<string, string> = {};
  const run = (command: string, aws?: string) => {
    const line = command.replaceAll(README_URL, url);
    const assignment = /^([A-Z_]+)=(.*)$/.exec(line);
    const script = assignment ? `${line}; printf '%s' "$${assignment[1]}"` : aws ? line.replace(/^aws /, `${aws} `) : line;
    const result = spawnSync('bash', ['-c', `set -eo pipefail; ${script}`], { cwd: REPO, env: { ...shellEnv, ...variables }, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, `${aws ?? ''} ${command}\nexited ${result.status ?? result.signal}:\n${result.stderr}${result.stdout}`);
    if (assignment) variables[assignment[1]!] = result.stdout.trim();
    return result;
  };

  for (const command of rest) {
    if (command.includes('keyless login')) {
      await signInThroughTheBrowser(command.replaceAll(README_URL, url), { ...shellEnv, ...variables }, variables.ACCOUNT!);
      continue;
    }
    const result = run(command);
    if (command.startsWith('ACCOUNT=')) assert.match(variables.ACCOUNT!, /^\d{12}$/);
    if (command.startsWith('aws sts get-caller-identity')) assert.match(result.stdout, new RegExp(`arn:aws:iam::${variables.ACCOUNT}:user/alice`));
    if (command.startsWith('aws iam list-users')) assert.match(result.stdout, /alice/);
    // The same command with Debian's AWS CLI v2.9, which knows neither login_session nor saved endpoints.
    if (command.startsWith('aws ') && existsSync('/usr/bin/aws')) run(command, '/usr/bin/aws');
  }
  await server.stop();
});

/** Step 3: `keyless login` as pasted; its browser half walked over HTTP as alice. */
async function signInThroughTheBrowser(command: string, env: Record<string, string>, accountId: string): Promise<void> {
  const login = spawn('bash', ['-c', command], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  login.stderr.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve) => login.on('close', resolve));
  const authorizeUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sign-in URL from keyless login:\n${stderr}`)), 60_000);
    login.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      const found = /http:\/\/\S+\/v1\/authorize\?\S+/.exec(stderr);
      if (found) (clearTimeout(timer), resolve(found[0]));
    });
  });
  const password = /printf '%s' '([^']+)' \| npx keyless admin create-user/.exec(readFileSync(join(REPO, 'README.md'), 'utf8'))?.[1];
  assert.ok(password, 'the README gives alice a password');
  const browser = new FormBrowser();
  const signIn = await browser.get(authorizeUrl);
  const chooser = await browser.submit(signIn, 'name="username"', { account: accountId, username: 'alice', password });
  assert.equal(chooser.status, 200, chooser.body);
  const callback = await browser.submit(chooser, 'Continue as <bdi>alice</bdi>');
  assert.match(callback.body, /Signed in/);
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /Profile "dev-process" runs/);
}
