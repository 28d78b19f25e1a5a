// The repository stands alone: no source, test, script or CI file reads a path outside it
// (scripts/outside-paths.mjs), so `npm ci && npm run test:all` passes in a clone with nothing
// beside it — which .ci/run checks by running exactly that in a fresh clone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs script, without types
import { findOutsidePaths, outsidePaths } from '../../scripts/outside-paths.mjs';

const root = '/checkouts/keyless';
const find = (file: string, text: string): Array<{ path: string }> => outsidePaths(file, text, root);
// The examples are put together at run time, so the scan of this very file does not find them.
const up = (n: number) => '../'.repeat(n);

describe('the repository is self-contained', () => {
  it('no file under packages/, test/, scripts/, bench/ or .ci/ reads a path outside the repository', () => {
    assert.deepEqual(findOutsidePaths(), []);
  });

  it('catches a relative path that climbs out of the repository, as the CloudTrail samples once did', () => {
    const line = `export const SAMPLES = new URL('${up(5)}shared/reference/cloudtrail-samples/', import.meta.url);`;
    assert.deepEqual(find('packages/server/src/audit/golden-samples.ts', line).map((f) => f.path), [`${up(5)}shared/reference/cloudtrail-samples/`]);
    assert.equal(find('scripts/x.mjs', `readFileSync(join(__dirname, '${up(2)}shared/PROTOCOL.md'))`).length, 1);
  });

  it('catches an absolute path into the directory that holds the checkout', () => {
    assert.equal(find('test/e2e/x.test.ts', "const protocol = '/checkouts/shared/reference/PROTOCOL.md';").length, 1);
    assert.equal(find('.ci/run', 'cp -r /checkouts/shared/reference reference').length, 1);
  });

  it('lets paths inside the repository and the machine\'s own paths be', () => {
    assert.deepEqual(find('packages/server/src/audit/golden-samples.ts', `new URL('${up(4)}reference/cloudtrail-samples/', import.meta.url)`), []);
    assert.deepEqual(find('test/e2e/support/chromium.ts', "const CHROMIUM = '/usr/bin/chromium'; const home = '/home/u/.aws/config';"), []);
    assert.deepEqual(find('packages/keyless/bin/keyless.cjs', "join(__dirname, '../..', dir, bundle)"), []);
    assert.deepEqual(find('x.ts', `const here = '${join(root, 'reference')}';`), []);
  });
});
