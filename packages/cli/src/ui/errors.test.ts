import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError, ExitCode, reportError } from './errors.ts';

const sink = (env: Record<string, string> = {}) => {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    env,
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
  };
};

describe('reportError', () => {
  it('prints a CliError\'s message and returns its exit code; JSON on stdout only when asked', () => {
    const s = sink();
    assert.equal(reportError(new CliError('REGION_REQUIRED', 'Pass --region.', ExitCode.Usage), s), ExitCode.Usage);
    assert.equal(s.out.stderr, 'keyless: Pass --region.\n');
    assert.equal(s.out.stdout, '');
    const j = sink();
    reportError(new CliError('REGION_REQUIRED', 'Pass --region.', ExitCode.Usage), j, { json: true });
    assert.deepEqual(JSON.parse(j.out.stdout), { error: { code: 'REGION_REQUIRED', message: 'Pass --region.' } });
  });

  it('hides stack traces unless KEYLESS_DEBUG=1', () => {
    const quiet = sink();
    assert.equal(reportError(new Error('boom', { cause: new Error('root') }), quiet), ExitCode.Failure);
    assert.doesNotMatch(quiet.out.stderr, /at |root/);
    assert.match(quiet.out.stderr, /boom[\s\S]*KEYLESS_DEBUG=1/);
    const loud = sink({ KEYLESS_DEBUG: '1' });
    reportError(new Error('boom', { cause: new Error('root') }), loud);
    assert.match(loud.out.stderr, /errors\.test\.ts[\s\S]*Caused by: Error: root/);
  });

  it('treats Ctrl-C at a prompt as a cancellation', () => {
    const error = Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' });
    const cancelled = sink();
    assert.equal(reportError(error, cancelled), ExitCode.Cancelled);
    assert.equal(cancelled.out.stderr, 'keyless: Cancelled; nothing was saved.\n');
  });
});
