// The contract of an AWS-protocol service plugged into `POST /`. The front door
// (http/aws-api/front-door.ts) verifies SigV4, finds the caller, parses the protocol and
// serialises results and errors; a service only maps an operation and its parameters to a result.
import type { AuthorizationQuestion, SessionScope } from '../iam/authorizer.ts';
import type { RequestContext } from '../request-context.ts';
import type { LoginSession } from '../store/store.ts';
import { AwsServiceError } from './errors.ts';

declare const authenticated: unique symbol;
/** A caller whose SigV4 signature verified against credentials Keyless issued, of a live session. */
export interface AuthenticatedCaller {
  readonly [authenticated]: true;
  readonly accessKeyId: string;
  readonly session: LoginSession;
  readonly region: string;
  /** An STS role session's session policies, tags and source identity. */
  readonly scope?: SessionScope;
  /** When the signing credentials were issued (aws:TokenIssueTime). */
  readonly tokenIssuedAt: number;
}

/** Who asks, in an authorization question about the caller: its session, limits and token age. */
export const callerPrincipal = (caller: AuthenticatedCaller): Pick<AuthorizationQuestion, 'principal' | 'scope' | 'tokenIssuedAt'> => ({
  principal: caller.session,
  ...(caller.scope && { scope: caller.scope }),
  tokenIssuedAt: caller.tokenIssuedAt,
});

export type AwsProtocol = 'query' | 'json';

export interface AwsCall {
  operation: string;
  /** Services speaking both protocols answer in the one the request used. */
  protocol: AwsProtocol;
  /** Query protocol: the form/query parameters (without Action and Version). JSON: the parsed body. */
  input: Record<string, string> | Record<string, unknown>;
  caller: AuthenticatedCaller;
  context: RequestContext;
}

/** Query protocol: the inner XML of `<{Op}Result>` (or empty). JSON protocols: the response object. */
export type AwsResult = { xml: string } | { json: unknown };

/** An operation AWS serves without a signature (STS AssumeRoleWithWebIdentity): no caller. */
export interface UnsignedAwsCall {
  operation: string;
  protocol: AwsProtocol;
  input: Record<string, string> | Record<string, unknown>;
  context: RequestContext;
}

export interface AwsService {
  /** The SigV4 signing name, e.g. `sts`, `iam`, `cloudtrail`. */
  signingName: string;
  /** Query protocol: the API version every request must name, and the response namespace. */
  query?: { version: string; xmlns: string };
  /** JSON protocols: the `X-Amz-Target` prefix (`Service.`) and content type. */
  json?: {
    targetPrefix: string;
    /** Other prefixes clients send for the same operations (CloudTrail: botocore's long one, the JS SDK's short one). */
    alternateTargetPrefixes?: readonly string[];
    contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1';
    errorNamespace: string;
  };
  handle(call: AwsCall): Promise<AwsResult>;
  /**
   * The operations answered without SigV4, as AWS answers them (an explicit list: every other
   * operation is authenticated before anything of the request is read), and their handler.
   */
  unsigned?: { operations: ReadonlySet<string>; handle(call: UnsignedAwsCall): Promise<AwsResult> };
}

/** The operation an `X-Amz-Target` names for this service, or undefined when it names another service. */
export function targetOperation(service: AwsService, target: string): string | undefined {
  if (!service.json) return undefined;
  const prefix = [service.json.targetPrefix, ...(service.json.alternateTargetPrefixes ?? [])].find((p) => target.startsWith(p));
  return prefix === undefined ? undefined : target.slice(prefix.length);
}

export const accessDenied = (caller: AuthenticatedCaller, action: string, resource: string, why = 'no identity-based policy allows the action') =>
  new AwsServiceError('AccessDenied', `User: ${caller.session.arn} is not authorized to perform: ${action} on resource: ${resource} because ${why}`);

export const escapeXml = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
