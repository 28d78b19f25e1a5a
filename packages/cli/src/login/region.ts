// The region to sign in to: `--region` > AWS_REGION > AWS_DEFAULT_REGION > the profile's
// `region` (the AWS CLI's order). With none, ask — on a terminal only; scripts must pass --region.
// Wherever it comes from, a value that is not a region name is refused, and a well-formed one
// missing from the list (a new region) is taken with a one-line warning. The prompt filters the
// list by what is typed and never picks a region the text does not match: typed text that matches
// none is offered as itself when it is a region name, and refused when it is not.
import type { Choice, Prompter } from '../context.ts';
import { usageError } from '../ui/errors.ts';
import { AWS_COMMERCIAL_REGIONS, DEFAULT_PROMPT_REGION, KNOWN_REGIONS } from './regions.ts';

export type RegionSource = 'option' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'prompt';

export interface ResolvedRegion {
  region: string;
  source: RegionSource;
  /** Where it was found, for messages: `--region`, `AWS_REGION`, the prompt. */
  where?: string;
}

// What every AWS region name looks like (us-east-1, us-gov-west-1, cn-north-1, ap-southeast-7);
// it also becomes part of a hostname.
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const notARegion = (value: string) => `${JSON.stringify(value)} is not a region name (region names look like us-east-1, eu-central-2, us-gov-west-1)`;

export function assertValidRegion(region: string, where: string): string {
  if (!REGION_NAME.test(region) || region.length > 64) throw usageError('INVALID_REGION', `${where}: ${notARegion(region)}.`);
  return region;
}

export const isKnownRegion = (region: string) => KNOWN_REGIONS.some(([id]) => id === region);

/** The one-line warning for a well-formed region Keyless does not know, or undefined. */
export const unknownRegionWarning = (region: string, where: string) =>
  isKnownRegion(region) ? undefined : `${region} (${where}) is not a region Keyless knows; using it as given (a new region?).`;

/**
 * The prompt's choices for what was typed: the known regions whose id or name contain it (all of
 * the commercial ones before anything is typed), then the typed text itself when it is a region
 * name no known one equals. Text that matches nothing and is not a region name is an error, so
 * Enter cannot pick anything.
 */
export function regionChoices(typed: string | undefined): Choice<string>[] {
  const term = (typed ?? '').trim().toLowerCase();
  const label = ([id, name]: readonly [string, string]) => ({ value: id, name: `${id.padEnd(15)} ${name}` });
  if (term === '') return AWS_COMMERCIAL_REGIONS.map(label);
  const matching = KNOWN_REGIONS.filter(([id, name]) => id.includes(term) || name.toLowerCase().includes(term)).map(label);
  if (REGION_NAME.test(term) && !isKnownRegion(term)) return [{ value: term, name: `${term.padEnd(15)} (not in the list: use it as typed)` }, ...matching];
  if (matching.length === 0) throw new Error(`${notARegion(term)}, and no region in the list matches it.`);
  return matching;
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
    if (value) return { region: assertValidRegion(value.trim(), where), source, where };
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
  /** Where the warning about an unknown region goes; default: nowhere. */
  warn?: (line: string) => void;
}): Promise<ResolvedRegion> {
  const found = configuredRegion(input);
  if (found) {
    const warning = unknownRegionWarning(found.region, found.where ?? found.source);
    if (warning) input.warn?.(warning);
    return { region: found.region, source: found.source };
  }
  if (!input.interactive) {
    throw usageError('REGION_REQUIRED', 'No AWS region is configured. Pass --region (e.g. --region us-east-1), or set AWS_REGION.');
  }
  input.say('No AWS region is configured. Pick the region your resources are in (or the one nearest you);');
  input.say('it is saved in the profile, and you can change it later with `aws configure set region NAME`.');
  input.say('Type to filter the list; a region missing from it can be typed in full.');
  const region = assertValidRegion(await input.prompts.search({ message: 'AWS region', source: regionChoices, default: DEFAULT_PROMPT_REGION }), 'the region typed');
  const warning = unknownRegionWarning(region, 'typed');
  if (warning) input.warn?.(warning);
  return { region, source: 'prompt' };
}
