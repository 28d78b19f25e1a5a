// Test support for STS: an STS call through the HTTP stack (`inject`), unsigned or signed with
// credentials at the harness clock's time, in either protocol; an OpenID provider registered for a
// test issuer; roles with trust and identity policies.
import { signRequest } from '@keyless/protocol';
import { operatorRequest } from '../audit/iam-events.ts';
import { createWebIdentityProvider } from '../federation/provider-admin.ts';
import { putInlinePolicy } from '../iam/admin/inline-policies.ts';
import { createRole } from '../iam/admin/roles.ts';
import type { Harness } from './harness.ts';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface StsAnswer {
  status: number;
  body: string;
  /** `<Code>` of an error answer. */
  code?: string;
  /** The text of a query answer's element, e.g. `field('AccessKeyId')`. */
  field(name: string): string | undefined;
}

const answer = (status: number, body: string): StsAnswer => ({
  status,
  body,
  code: /<Code>([^<]+)<\/Code>/.exec(body)?.[1],
  field: (name) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1]?.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))),
});

/** A query-protocol STS call: `params` without Action and Version; signed with `creds` when given. */
export async function stsQuery(h: Harness, action: string, params: Record<string, string>, creds?: Creds, region = 'us-east-1'): Promise<StsAnswer> {
  const body = new URLSearchParams({ Action: action, Version: '2011-06-15', ...params }).toString();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', host: new URL(h.config.publicUrl).host };
  const signed = creds ? signRequest({ method: 'POST', url: `${h.config.publicUrl}/`, headers, body, credentials: creds, region, service: 'sts', now: new Date(h.clock.now()) }) : {};
  const response = await h.service.app.inject({ method: 'POST', url: '/', headers: { ...headers, ...signed }, payload: body });
  return answer(response.statusCode, response.body);
}

/** A JSON 1.0 STS call. */
export async function stsJson(h: Harness, operation: string, input: Record<string, unknown>, creds?: Creds): Promise<{ status: number; json: any; headers: Record<string, unknown> }> {
  const body = JSON.stringify(input);
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSSecurityTokenServiceV20110615.${operation}`, host: new URL(h.config.publicUrl).host };
  const signed = creds ? signRequest({ method: 'POST', url: `${h.config.publicUrl}/`, headers, body, credentials: creds, region: 'us-east-1', service: 'sts', now: new Date(h.clock.now()) }) : {};
  const response = await h.service.app.inject({ method: 'POST', url: '/', headers: { ...headers, ...signed }, payload: body });
  return { status: response.statusCode, json: response.json(), headers: response.headers };
}

/** An IAM Query API call signed with `creds`: its HTTP status and error code. */
export async function iamQuery(h: Harness, creds: Creds, action: string): Promise<{ status: number; code?: string }> {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08' }).toString();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', host: new URL(h.config.publicUrl).host };
  const signed = signRequest({ method: 'POST', url: `${h.config.publicUrl}/`, headers, body, credentials: creds, region: 'us-east-1', service: 'iam', now: new Date(h.clock.now()) });
  const response = await h.service.app.inject({ method: 'POST', url: '/', headers: { ...headers, ...signed }, payload: body });
  return { status: response.statusCode, code: /<Code>([^<]+)<\/Code>/.exec(response.body)?.[1] };
}

export const credsOf = (a: StsAnswer): Creds => ({ accessKeyId: a.field('AccessKeyId')!, secretAccessKey: a.field('SecretAccessKey')!, sessionToken: a.field('SessionToken')! });

/** Registers `issuer` as an OpenID provider of the harness account accepting `clientIds` (IAM's way: no secret); its ARN. */
export async function registerProvider(h: Harness, issuer: string, clientIds: string[]): Promise<string> {
  const deps = h.service.deps;
  return (await createWebIdentityProvider(deps, operatorRequest(deps.random, 'create-open-id-connect-provider'), { accountId: h.accountId, url: issuer, clientIds })).arn;
}

export const trustPolicy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** A role with this trust policy and, when given, an inline permissions policy allowing `actions`. */
export async function makeRole(h: Harness, name: string, trust: string, options: { allow?: string[]; maxSessionDuration?: number; path?: string } = {}): Promise<string> {
  const deps = h.service.deps;
  const by = operatorRequest(deps.random, 'create-role');
  const view = await createRole(deps, by, { accountId: h.accountId, roleName: name, assumeRolePolicyDocument: trust, ...(options.path && { path: options.path }), ...(options.maxSessionDuration && { maxSessionDuration: options.maxSessionDuration }) });
  if (options.allow) {
    const policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: options.allow, Resource: '*' }] });
    await putInlinePolicy(deps, by, { kind: 'role', accountId: h.accountId, name, policyName: 'permissions', policyDocument });
  }
  return view.arn;
}
