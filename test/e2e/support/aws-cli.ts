// The AWS CLI the e2e suites drive: Debian's awscli package (v2, /usr/bin/aws, which
// scripts/install-test-deps.mjs installs), not whichever `aws` comes first on PATH — on these
// machines a pyenv AWS CLI v1, which would leave the Debian package untested.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const AWS_CLI = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';

const version = spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8' });
/** `aws-cli/2.9.19 Python/…`, or undefined when there is no AWS CLI to run. */
export const awsCliVersion: string | undefined = version.status === 0 ? (version.stdout + version.stderr).trim() : undefined;
