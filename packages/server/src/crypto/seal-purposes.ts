// Every purpose a value is sealed for, in one place. The sealer binds the purpose in as
// associated data (sealer.ts), so a value sealed for one thing never opens as another: a
// credential's secret under another key id, a page token for another query. A purpose is made
// only here, so each label is written once, for the seal and the open alike.
declare const sealPurpose: unique symbol;
export type SealPurpose = string & { readonly [sealPurpose]: true };

const purpose = (label: string) => label as SealPurpose;

export const purposes = {
  /** An issued credential's secret, bound to its access key id. */
  credentialSecret: (accessKeyId: string) => purpose(`credential-secret:${accessKeyId}`),
  /** The response a refresh answered, kept for an identical retry: bound to the token's digest. */
  refreshReplay: (tokenDigest: string) => purpose(`refresh-replay:${tokenDigest}`),
  /** The ID-token signing key. */
  signingKey: purpose('signing-key'),
  /** A principal's TOTP secret. */
  mfaTotpSecret: (principalId: string) => purpose(`mfa-totp-secret:${principalId}`),
  /** A console sign-in between its steps (password, then MFA code or the session to give up). */
  pendingSignIn: (stage: string) => purpose(`console-pending-sign-in:${stage}`),
  /** An OpenID provider's client secret. */
  oidcClientSecret: (providerId: string) => purpose(`oidc-client-secret:${providerId}`),
  /** A federated sign-in's PKCE verifier, bound to its state. */
  federationCodeVerifier: (stateDigest: string) => purpose(`federation-code-verifier:${stateDigest}`),
  /** The roles a federated sign-in may choose from. */
  federationRoleChoice: purpose('federation-role-choice'),
  /** A LookupEvents NextToken, bound to a digest of the account and query. */
  lookupEventsToken: (queryDigest: string) => purpose(`cloudtrail-lookup-events:${queryDigest}`),
} as const;
