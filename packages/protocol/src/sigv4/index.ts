// AWS Signature Version 4: verify (server) and sign / presign (CLI). Pure; node:crypto only.
export {
  canonicalHeaders,
  canonicalHeaderValue,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  hashPayload,
  normalizeHeaders,
  parseQuery,
  uriEncode,
  UNSIGNED_PAYLOAD,
  type CanonicalHeaderMap,
  type CanonicalRequestParts,
  type QueryParam,
  type RawHeaders,
  type RequestHeaders,
} from './canonical-request.ts';
export * from './errors.ts';
export {
  MAX_PRESIGNED_EXPIRES_SECONDS,
  parseAuthorizationHeader,
  parseCredential,
  parsePresignedQuery,
  parseSigV4Authorization,
  parseSignedHeaders,
  type HeaderAuthorization,
  type ParsedCredential,
  type PresignedAuthorization,
  type SigV4Authorization,
} from './parse-authorization.ts';
export { presignUrl, signRequest, type PresignUrlInput, type SigV4AuthHeaders, type SigV4Credentials, type SignRequestInput } from './sign.ts';
export {
  calculateSignature,
  createSigningKeyMemo,
  deriveSigningKey,
  signingKeysOf,
  type ScopedSigningKey,
  type SigningKeyDeriver,
} from './signing-key.ts';
export {
  formatAmzDate,
  formatCredentialScope,
  parseAmzDate,
  parseHttpDate,
  SIGV4_ALGORITHM,
  stringToSign,
  type CredentialScope,
} from './string-to-sign.ts';
export {
  DEFAULT_MAX_SKEW_SECONDS,
  verifySigV4,
  type ExpiredSigV4Credential,
  type SigV4CredentialLookup,
  type SigV4Request,
  type StoredSigV4Credential,
  type VerifiedSigV4Request,
  type VerifySigV4Options,
} from './verify.ts';
