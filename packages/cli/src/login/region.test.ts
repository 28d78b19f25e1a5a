import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prompter } from '../context.ts';
import { CliError } from '../ui/errors.ts';
import { regionChoices, resolveRegion } from './region.ts';

const noPrompts: Prompter = {
  confirm: () => assert.fail('no confirm expected'),
  select: () => assert.fail('no prompt expected'),
  search: () => assert.fail('no prompt expected'),
};
const base = { interactive: true, prompts: noPrompts, say: () => {} };
// Issue 21 makes the names strict (`^[a-z]{2}(-[a-z]+)+-\d+$`): these were 'env-1', 'opt-1', … before.
const all = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' };

describe('resolveRegion', () => {
  it('--region > AWS_REGION > AWS_DEFAULT_REGION > the profile', async () => {
    assert.deepEqual(await resolveRegion({ ...base, option: 'us-west-2', env: all, profileRegion: 'ap-south-1' }), { region: 'us-west-2', source: 'option' });
    assert.deepEqual(await resolveRegion({ ...base, env: all, profileRegion: 'ap-south-1' }), { region: 'eu-west-1', source: 'AWS_REGION' });
    assert.deepEqual(await resolveRegion({ ...base, env: { AWS_DEFAULT_REGION: 'eu-west-2' }, profileRegion: 'ap-south-1' }), { region: 'eu-west-2', source: 'AWS_DEFAULT_REGION' });
    assert.deepEqual(await resolveRegion({ ...base, env: {}, profileRegion: 'ap-south-1' }), { region: 'ap-south-1', source: 'profile' });
  });

  it('asks on a terminal when none is configured, offering the commercial regions with us-east-1 first', async () => {
    let asked: Parameters<Prompter['search']>[0] | undefined;
    const prompts: Prompter = {
      ...noPrompts,
      search: async (input) => {
        asked = input;
        return 'eu-central-1';
      },
    };
    assert.deepEqual(await resolveRegion({ ...base, prompts, env: {} }), { region: 'eu-central-1', source: 'prompt' });
    assert.equal(asked?.default, 'us-east-1');
    assert.ok(asked?.source(undefined).some((choice) => choice.value === 'ap-southeast-2'));
  });

  it('never asks without a terminal: fails naming --region', async () => {
    await assert.rejects(
      resolveRegion({ ...base, interactive: false, env: {} }),
      (error: unknown) => error instanceof CliError && error.code === 'REGION_REQUIRED' && error.message.includes('--region'),
    );
  });

  it('refuses what is not a region name, from --region, AWS_REGION and the profile alike, saying where it came from', async () => {
    for (const [input, where] of [
      [{ option: 'moon-1', env: {} }, '--region'],
      [{ option: 'evil.com/x', env: {} }, '--region'],
      [{ env: { AWS_REGION: 'us-east' } }, 'AWS_REGION'],
      [{ env: {}, profileRegion: 'US-EAST-1' }, 'the profile\'s region'],
    ] as const) {
      await assert.rejects(resolveRegion({ ...base, ...input }), (error: unknown) => {
        assert.ok(error instanceof CliError && error.code === 'INVALID_REGION', String(error));
        assert.match(error.message, new RegExp(`^${where.replace(/'/g, "'")}: ".*" is not a region name \\(region names look like us-east-1`));
        return true;
      });
    }
  });

  it('accepts an unknown but well-formed region with a one-line warning; known ones of every partition without', async () => {
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);
    assert.deepEqual(await resolveRegion({ ...base, warn, option: 'xx-future-9', env: {} }), { region: 'xx-future-9', source: 'option' });
    assert.deepEqual(await resolveRegion({ ...base, warn, env: { AWS_REGION: 'eu-moon-1' } }), { region: 'eu-moon-1', source: 'AWS_REGION' });
    assert.deepEqual(warnings, [
      'xx-future-9 (--region) is not a region Keyless knows; using it as given (a new region?).',
      'eu-moon-1 (AWS_REGION) is not a region Keyless knows; using it as given (a new region?).',
    ]);
    for (const region of ['us-gov-west-1', 'cn-north-1', 'ap-southeast-7']) await resolveRegion({ ...base, warn, option: region, env: {} });
    assert.equal(warnings.length, 2);
  });
});

describe('regionChoices (the prompt\'s list for what is typed)', () => {
  const values = (typed: string) => regionChoices(typed).map((choice) => choice.value);

  it('filters by id or name, and never offers a region the text does not match', () => {
    assert.deepEqual(values('eu-central'), ['eu-central-1', 'eu-central-2']);
    assert.deepEqual(values('tokyo'), ['ap-northeast-1']);
    assert.ok(!values('me-').includes('us-east-1'));
  });

  it('typed text matching no region and not a region name is an error: nothing can be picked (moon-1 once picked me-central-1)', () => {
    assert.throws(() => regionChoices('moon-1'), /"moon-1" is not a region name .*and no region in the list matches it/);
  });

  it('offers a well-formed region missing from the list as typed, first', () => {
    assert.deepEqual(values('xx-future-9'), ['xx-future-9']);
    assert.equal(regionChoices('eu-west-9')[0]?.value, 'eu-west-9');
    assert.deepEqual(values('us-gov-west-1'), ['us-gov-west-1']);
  });
});
