// What a web identity token may say about the session beyond who it is (IAM User Guide, "Passing
// session tags using AssumeRoleWithWebIdentity" and "Monitor and control actions taken with
// assumed roles"): the `https://aws.amazon.com/tags` claim —
//   { "principal_tags": { "Key": ["value"] }, "transitive_tag_keys": ["Key"] }
// — becomes session tags, and `https://aws.amazon.com/source_identity` the source identity. Each is
// held to the same constraints as AssumeRole's parameters; a token breaking them is refused. Pure.
import type { Claims } from '../federation/provider-identity.ts';
import { stsError } from './errors.ts';
import { LIST_LIMITS, STS_PARAMETERS as P, Violations } from './parameters.ts';
import { checkTagKeys, type SessionTag } from './requests.ts';

export const TAGS_CLAIM = 'https://aws.amazon.com/tags';
export const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';

export interface TokenSessionFacts {
  tags?: SessionTag[];
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
}

const refused = (why: string) => stsError('InvalidIdentityToken', `The web identity token's ${why}.`);

export function sessionFactsOf(claims: Claims): TokenSessionFacts {
  const facts: TokenSessionFacts = {};
  const v = new Violations();
  if (Object.hasOwn(claims, TAGS_CLAIM)) {
    const claim = claims[TAGS_CLAIM];
    if (!claim || typeof claim !== 'object' || Array.isArray(claim)) throw refused(`${TAGS_CLAIM} claim is not an object`);
    const { principal_tags: principalTags, transitive_tag_keys: transitive } = claim as Record<string, unknown>;
    const tags: SessionTag[] = [];
    if (principalTags !== undefined) {
      if (!principalTags || typeof principalTags !== 'object' || Array.isArray(principalTags)) throw refused('principal_tags is not an object');
      for (const [key, values] of Object.entries(principalTags)) {
        // AWS documents each tag's value as a list of one string (a plain string is taken too).
        const value = Array.isArray(values) && values.length === 1 ? values[0] : values;
        if (typeof value !== 'string') throw refused(`tag ${key.slice(0, 128)} has no single string value`);
        tags.push({ key: v.string(P.TagKey, key) ?? key, value: v.string(P.TagValue, value) ?? value });
      }
    }
    let keys: string[] = [];
    if (transitive !== undefined) {
      if (!Array.isArray(transitive) || !transitive.every((k): k is string => typeof k === 'string')) throw refused('transitive_tag_keys is not a list of strings');
      keys = transitive.map((k) => v.string(P.TransitiveTagKey, k) ?? k);
    }
    v.listLength('tags', tags.length, LIST_LIMITS.Tags);
    checkTagKeys(v, tags, keys);
    if (tags.length) facts.tags = tags;
    if (keys.length) facts.transitiveTagKeys = keys;
  }
  if (Object.hasOwn(claims, SOURCE_IDENTITY_CLAIM)) {
    const value = claims[SOURCE_IDENTITY_CLAIM];
    if (typeof value !== 'string') throw refused(`${SOURCE_IDENTITY_CLAIM} claim is not a string`);
    facts.sourceIdentity = v.string(P.SourceIdentity, value);
  }
  try {
    v.done();
  } catch (error) {
    throw refused(`session claims break STS's constraints: ${(error as Error).message}`);
  }
  return facts;
}
