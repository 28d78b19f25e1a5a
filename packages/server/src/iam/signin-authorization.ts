// The question the Sign-In service asks at each enforcement point (issue 4): the action, the
// OAuth client's resource `arn:aws:signin:{region}:{account}:oauth2/public-client/{localhost|remote}`,
// and the request's condition keys. The authorize screen asks signin:AuthorizeOAuth2Access; code
// redemption and every refresh ask signin:CreateOAuth2Token.
import { clientResourceSuffix, oauthClientResourceArn, type ClientId } from '@keyless/protocol';
import type { LoginSession } from '../store/store.ts';
import type { AuthorizationQuestion } from './authorizer.ts';

export type SigninAction = 'signin:AuthorizeOAuth2Access' | 'signin:CreateOAuth2Token';

export interface SigninRequest {
  principal: Pick<LoginSession, 'principal_id' | 'account_id' | 'arn' | 'mfa'>;
  action: SigninAction;
  clientId: ClientId;
  /** The region the sign-in is for: the resource's region and aws:RequestedRegion. */
  region: string;
  sourceIp: string;
  /** Present at the authorize screen and at code redemption. */
  redirectUri?: string;
  /** Present at the token endpoint. */
  grantType?: 'authorization_code' | 'refresh_token';
}

export function signinQuestion(request: SigninRequest): AuthorizationQuestion {
  return {
    principal: request.principal,
    action: request.action,
    resource: oauthClientResourceArn(request.region, request.principal.account_id, clientResourceSuffix(request.clientId)),
    context: {
      'signin:OAuthClientId': request.clientId,
      'signin:OAuthRedirectUri': request.redirectUri,
      'signin:OAuthGrantType': request.grantType,
      'aws:SourceIp': request.sourceIp,
      'aws:RequestedRegion': request.region,
    },
  };
}

/** What the user or client is told: the action refused, and why (the decision's one sentence). */
export const refusalMessage = (principalArn: string, action: SigninAction, reason: string): string =>
  `${principalArn} is not allowed to perform ${action}. ${reason}`;
