// The shapes of a validated policy document (jose's types.d.ts): apart from the parser, so the
// statement and condition validators and the engine name them without importing the parser.
export type PolicyKind = 'identity' | 'scp' | 'trust';
export type PolicyVersion = '2012-10-17' | '2008-10-17';
export type Effect = 'Allow' | 'Deny';
export type PrincipalType = 'AWS' | 'Federated' | 'Service';
/** `"*"`, or principals by type. */
export type PrincipalBlock = '*' | { readonly [type in PrincipalType]?: readonly string[] };
/** operator → condition key (as written) → values (as strings, OR-ed). */
export type ConditionBlock = { readonly [operator: string]: { readonly [key: string]: readonly string[] } };

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource?: readonly string[];
  readonly NotResource?: readonly string[];
  readonly Principal?: PrincipalBlock;
  readonly NotPrincipal?: PrincipalBlock;
  readonly Condition?: ConditionBlock;
}

declare const validated: unique symbol;

export interface PolicyDocument {
  /** What the document was validated as. */
  readonly kind: PolicyKind;
  readonly Version: PolicyVersion;
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
  /** Characters counted against the size quota: the JSON without insignificant whitespace. */
  readonly size: number;
  readonly [validated]: true;
}
