// The AWS CLI the e2e suites drive: Debian's awscli package (v2, /usr/bin/aws, which
// scripts/install-test-deps.mjs installs), not whichever `aws` comes first on PATH — on these
// machines a pyenv AWS CLI v1, which would leave the Debian package untested.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, sep } from 'node:path';

export const AWS_CLI = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';

const version = spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8' });
/** `aws-cli/2.9.19 Python/…`, or undefined when there is no AWS CLI to run. */
export const awsCliVersion: string | undefined = version.status === 0 ? (version.stdout + version.stderr).trim() : undefined;

/**
 * The AWS CLI v1 a developer may have from pip or pyenv (the first `aws` on PATH that is not
 * Debian's), with its version line; undefined where there is none.
 */
export const awsCliV1: { command: string; version: string } | undefined = (() => {
  const found = spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8', env: { PATH: pathOutsideNpm() } }).stdout.trim();
  if (!found || found === AWS_CLI) return undefined;
  const ran = spawnSync(found, ['--version'], { encoding: 'utf8' });
  const version = (ran.stdout + ran.stderr).trim();
  return ran.status === 0 && version.startsWith('aws-cli/1.') ? { command: found, version } : undefined;
})();

/**
 * PATH as a tool started outside npm sees it: without the node_modules/.bin directories that npm
 * puts first (and with them the Node.js 24 that `npm ci` installs there), so `node` is the
 * system's. `first` goes before everything else.
 */
export function pathOutsideNpm(first?: string): string {
  const system = (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).filter((dir) => dir && !dir.endsWith(`${sep}node_modules${sep}.bin`));
  return [...(first ? [first] : []), ...system].join(delimiter);
}
