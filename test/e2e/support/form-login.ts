// `keyless login` as a child process, its browser half walked over HTTP by FormBrowser:
// sign-in page (IAM user) → "Continue as NAME" → the CLI's callback page.
import assert from 'node:assert/strict';
import { startLogin, type AwsHome, type LoginResult } from './aws-home.ts';
import { FormBrowser } from './form-browser.ts';

export async function loginWithForms(
  home: AwsHome,
  input: { endpointUrl: string; profile: string; accountId: string; userName: string; password: string },
): Promise<LoginResult> {
  const login = await startLogin(home, { endpointUrl: input.endpointUrl, profile: input.profile });
  const browser = new FormBrowser();
  const signIn = await browser.get(login.authorizeUrl);
  assert.match(signIn.url, /\/console\/signin\?mode=iam&return_to=/);
  const chooser = await browser.submit(signIn, 'name="username"', { account: input.accountId, username: input.userName, password: input.password });
  assert.equal(chooser.status, 200, chooser.body);
  const callback = await browser.submit(chooser, `Continue as <bdi>${input.userName}</bdi>`);
  assert.match(callback.url, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?code=/);
  assert.match(callback.body, /Signed in/);
  const result = await login.finished();
  assert.equal(result.loginSession, `arn:aws:iam::${input.accountId}:user/${input.userName}`);
  return result;
}
