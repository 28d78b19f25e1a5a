// Compiled policies, cached by what they are: the kind and the SHA-256 of the document text. A
// changed document has another digest, so an entry is never stale and never needs invalidating;
// a policy attached in many places, or an SCP attached at several levels, is compiled once.
import { createHash } from 'node:crypto';
import { compilePolicy, parsePolicyDocument, withSource, type CompiledPolicy, type PolicyKind, type PolicySource } from './policy/index.ts';

export interface CompiledPolicies {
  /** The document compiled (from the cache when seen before), under `source`. Throws PolicyValidationError for a bad document. */
  get(kind: PolicyKind, text: string, source: PolicySource): CompiledPolicy;
  readonly size: number;
}

export function compiledPolicies(maxEntries = 10_000): CompiledPolicies {
  const cache = new Map<string, CompiledPolicy>();
  return {
    get(kind, text, source) {
      const key = `${kind}:${createHash('sha256').update(text).digest('base64url')}`;
      let compiled = cache.get(key);
      if (!compiled) {
        // Stored documents were validated on write without a size quota in force here: the quota
        // is the writer's concern, and a policy must never stop working because a quota shrank.
        compiled = compilePolicy(parsePolicyDocument(text, { kind, maxSize: Number.MAX_SAFE_INTEGER }), source);
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
        cache.set(key, compiled);
      }
      return sameSource(compiled.source, source) ? compiled : withSource(compiled, source);
    },
    get size() {
      return cache.size;
    },
  };
}

const sameSource = (a: PolicySource, b: PolicySource) => JSON.stringify(a) === JSON.stringify(b);
