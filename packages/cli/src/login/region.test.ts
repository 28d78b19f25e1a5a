import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prompter } from '../context.ts';
import { CliError } from '../ui/errors.ts';
import { resolveRegion } from './region.ts';

const noPrompts: Prompter = {
  confirm: () => assert.fail('no confirm expected'),
  select: () => assert.fail('no prompt expected'),
};
const base = { interactive: true, prompts: noPrompts, say: () => {} };
const all = { AWS_REGION: 'env-1', AWS_DEFAULT_REGION: 'env-default-1' };

describe('resolveRegion', () => {
  it('--region > AWS_REGION > AWS_DEFAULT_REGION > the profile', async () => {
    assert.deepEqual(await resolveRegion({ ...base, option: 'opt-1', env: all, profileRegion: 'prof-1' }), { region: 'opt-1', source: 'option' });
    assert.deepEqual(await resolveRegion({ ...base, env: all, profileRegion: 'prof-1' }), { region: 'env-1', source: 'AWS_REGION' });
    assert.deepEqual(await resolveRegion({ ...base, env: { AWS_DEFAULT_REGION: 'd-1' }, profileRegion: 'prof-1' }), { region: 'd-1', source: 'AWS_DEFAULT_REGION' });
    assert.deepEqual(await resolveRegion({ ...base, env: {}, profileRegion: 'prof-1' }), { region: 'prof-1', source: 'profile' });
  });

  it('asks on a terminal when none is configured, offering the commercial regions with us-east-1 first', async () => {
    let asked: Parameters<Prompter['select']>[0] | undefined;
    const prompts: Prompter = {
      confirm: noPrompts.confirm,
      select: async (input) => {
        asked = input as typeof asked;
        return 'eu-central-1' as never;
      },
    };
    assert.deepEqual(await resolveRegion({ ...base, prompts, env: {} }), { region: 'eu-central-1', source: 'prompt' });
    assert.equal(asked?.default, 'us-east-1');
    assert.ok(asked?.choices.some((choice) => choice.value === 'ap-southeast-2'));
  });

  it('never asks without a terminal: fails naming --region', async () => {
    await assert.rejects(
      resolveRegion({ ...base, interactive: false, env: {} }),
      (error: unknown) => error instanceof CliError && error.code === 'REGION_REQUIRED' && error.message.includes('--region'),
    );
  });

  it('rejects a region that cannot be part of a hostname', async () => {
    await assert.rejects(resolveRegion({ ...base, option: 'evil.com/x', env: {} }), CliError);
  });
});
