// What the test suite needs beyond npm: Debian's chromium (browser tests) and awscli
// (credential_process checks). Installs them when missing and we may; otherwise says how.
// Debian's awscli is looked for at /usr/bin/aws, not on PATH: it is v2, and the comparison with
// `aws configure export-credentials` needs v2 (credential-process.test.ts), while the `aws` first
// on PATH may be a v1 from pip or pyenv, with which that test can only skip.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const missing = [];
if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
if (!existsSync('/usr/bin/aws')) missing.push('awscli');
if (missing.length === 0) process.exit(0);

const isRoot = process.getuid?.() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(`The tests need: ${missing.join(', ')}. Install them (Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}) and run again.`);
  process.exit(1);
}
console.error(`Installing ${missing.join(', ')} from Debian's packages…`);
execSync('apt-get update -qq', { stdio: 'inherit' });
execSync(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit' });
