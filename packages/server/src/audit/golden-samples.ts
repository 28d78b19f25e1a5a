// The golden CloudTrail records of reference/cloudtrail-samples/ (PROTOCOL.md §5), for tests.
import { readdirSync, readFileSync } from 'node:fs';

export const SAMPLES = new URL('../../../../../shared/reference/cloudtrail-samples/', import.meta.url);

export const sampleNames = (): string[] => readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

export const sample = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, SAMPLES), 'utf8')) as Record<string, any>;
