// The last step of AssumeRole and AssumeRoleWithWebIdentity: a role session and its credentials,
// written in one transaction with the CloudTrail event that records them (a credential is never
// issued without its audit record). The session is a login_sessions row — so SigV4, revocation
// and GetCallerIdentity treat it like any other — with its STS facts beside it (sts_sessions).
import type { AuditEvent } from '../audit/cloudtrail-record.ts';
import type { IssuedSessionFacts } from '../audit/events/sts-role-session.ts';
import { newSessionId } from '../crypto/ids.ts';
import { assumedRoleArn } from '../federation/provider-identity.ts';
import type { IamRole, LoginSession, StsSession } from '../store/store.ts';
import { mintCredentials } from '../token/mint-credentials.ts';
import type { StsDeps } from './deps.ts';
import type { SessionTag } from './requests.ts';

/** What the client id column says of a session STS issued (it has no OAuth client, no DPoP key). */
export const STS_SESSION_CLIENT = 'sts.amazonaws.com';

export interface RoleSessionGrant {
  operation: StsSession['operation'];
  role: IamRole;
  sessionName: string;
  durationSeconds: number;
  mfa: boolean;
  region: string;
  sourceIp: string;
  sourceIdentity?: string;
  policy?: string;
  policyArns?: readonly string[];
  tags?: readonly SessionTag[];
  transitiveTagKeys?: readonly string[];
  federatedProvider?: string;
}

export interface IssuedRoleSession {
  session: LoginSession;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
  /** `AROA…:{session name}`. */
  assumedRoleId: string;
}

/** What the answer and the CloudTrail record say beside the credentials, when there is anything to say. */
export interface SessionExtras {
  packedPolicySize?: number;
  sourceIdentity?: string;
}

export const sessionExtras = (packedPolicySize: number | undefined, sourceIdentity: string | undefined): SessionExtras => ({
  ...(packedPolicySize !== undefined && { packedPolicySize }),
  ...(sourceIdentity !== undefined && { sourceIdentity }),
});

/** The session as its CloudTrail record names it: no secret, no session token. */
export const issuedFacts = (issued: IssuedRoleSession, extras: SessionExtras): IssuedSessionFacts => ({
  accessKeyId: issued.accessKeyId,
  expiresAt: issued.expiresAt,
  assumedRoleId: issued.assumedRoleId,
  arn: issued.session.arn,
  ...extras,
});

/** Roles whose principals row this process has written as it stands: most sessions need no write for it. */
const MAX_KNOWN_PRINCIPALS = 10_000;

export function createRoleSessionIssuer(deps: StsDeps) {
  const knownPrincipals = new Set<string>();
  return async function issueRoleSession(grant: RoleSessionGrant, eventOf: (issued: IssuedRoleSession) => AuditEvent): Promise<IssuedRoleSession> {
    const now = deps.clock.now();
    const { role } = grant;
    const session: LoginSession = {
      id: newSessionId(deps.random),
      principal_id: role.id,
      account_id: role.account_id,
      arn: assumedRoleArn(role.account_id, role.name, grant.sessionName),
      // No console session and no DPoP key: the empty thumbprint matches no proof, so no refresh
      // or revocation by token can ever name this session.
      console_session_id: '',
      client_id: STS_SESSION_CLIENT,
      jkt: '',
      region: grant.region,
      mfa: grant.mfa ? 1 : 0,
      password_changed_at: null,
      source_ip: grant.sourceIp,
      created_at: now,
      expires_at: now + grant.durationSeconds * 1000,
      revoked_at: null,
      revoke_reason: null,
      audit_template_id: null,
    };
    const sts: StsSession = {
      login_session_id: session.id,
      operation: grant.operation,
      source_identity: grant.sourceIdentity ?? null,
      session_policy: grant.policy ?? null,
      session_policy_arns: grant.policyArns?.length ? JSON.stringify(grant.policyArns) : null,
      tags: grant.tags?.length ? JSON.stringify(Object.fromEntries(grant.tags.map((t) => [t.key, t.value]))) : null,
      transitive_tag_keys: grant.transitiveTagKeys?.length ? JSON.stringify(grant.transitiveTagKeys) : null,
      federated_provider: grant.federatedProvider ?? null,
      created_at: now,
    };
    const minted = mintCredentials(deps.random, deps.sealer, session, now, grant.durationSeconds);
    const issued: IssuedRoleSession = {
      session,
      ...minted.accessToken,
      expiresAt: minted.row.expires_at,
      assumedRoleId: `${role.id}:${grant.sessionName}`,
    };
    const principalKey = `${role.id}|${role.arn}|${role.name}|${role.max_session_seconds}`;
    try {
      await deps.store.transaction(async (tx) => {
        if (!knownPrincipals.has(principalKey)) await tx.federation.rolePrincipal(role, now);
        await tx.stsSessions.issue({ session, sts, credential: minted.row });
        await deps.audit.record(tx, eventOf(issued));
      });
    } catch (error) {
      knownPrincipals.delete(principalKey);
      throw error;
    }
    if (knownPrincipals.size >= MAX_KNOWN_PRINCIPALS) knownPrincipals.clear();
    knownPrincipals.add(principalKey);
    return issued;
  };
}

export type RoleSessionIssuer = ReturnType<typeof createRoleSessionIssuer>;
