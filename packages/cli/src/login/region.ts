// The region to sign in to: `--region` > AWS_REGION > AWS_DEFAULT_REGION > the profile's
// `region` (the AWS CLI's order). With none, ask — on a terminal only; scripts must pass --region.
import type { Prompter } from '../context.ts';
import { usageError } from '../ui/errors.ts';
import { AWS_COMMERCIAL_REGIONS, DEFAULT_PROMPT_REGION } from './regions.ts';

export type RegionSource = 'option' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'prompt';

export interface ResolvedRegion {
  region: string;
  source: RegionSource;
}

// It becomes part of a hostname: keep it to what region names look like.
const REGION_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function assertValidRegion(region: string, where: string): string {
  if (!REGION_PATTERN.test(region) || region.length > 64) throw usageError('INVALID_REGION', `${where} is not a region name: ${JSON.stringify(region)}`);
  return region;
}

/** The region configured anywhere, without asking; undefined when there is none. */
export function configuredRegion(input: {
  option?: string;
  env: Readonly<Record<string, string | undefined>>;
  profileRegion?: string;
}): ResolvedRegion | undefined {
  const candidates: Array<[string | undefined, RegionSource, string]> = [
    [input.option, 'option', '--region'],
    [input.env.AWS_REGION, 'AWS_REGION', 'AWS_REGION'],
    [input.env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION', 'AWS_DEFAULT_REGION'],
    [input.profileRegion, 'profile', 'the profile\'s region'],
  ];
  for (const [value, source, where] of candidates) {
    if (value) return { region: assertValidRegion(value.trim(), where), source };
  }
  return undefined;
}

export async function resolveRegion(input: {
  option?: string;
  env: Readonly<Record<string, string | undefined>>;
  profileRegion?: string;
  interactive: boolean;
  prompts: Prompter;
  /** Where the question goes (stderr). */
  say: (line: string) => void;
}): Promise<ResolvedRegion> {
  const found = configuredRegion(input);
  if (found) return found;
  if (!input.interactive) {
    throw usageError('REGION_REQUIRED', 'No AWS region is configured. Pass --region (e.g. --region us-east-1), or set AWS_REGION.');
  }
  input.say('No AWS region is configured. Pick the region your resources are in (or the one nearest you);');
  input.say('it is saved in the profile, and you can change it later with `aws configure set region NAME`.');
  const region = await input.prompts.select({
    message: 'AWS region',
    choices: AWS_COMMERCIAL_REGIONS.map(([value, name]) => ({ value, name: `${value.padEnd(15)} ${name}` })),
    default: DEFAULT_PROMPT_REGION,
  });
  return { region, source: 'prompt' };
}
