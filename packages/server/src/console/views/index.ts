// The console's server-rendered pages: pure functions from a view model to an HTML string.
export { SafeHtml, html, raw, attrUrl, escapeHtml, REFUSED_URL, type HtmlValue } from './html.ts';
export { layout, type LayoutModel } from './layout.ts';
export { CSRF_FIELD, SESSION_ID_FIELD, FORM_ACTIONS, postForm, hiddenInput, errorAlert, noticeBox, totpCodeField, type FormAction, type PostFormModel } from './components.ts';
export { formatTimeLeft, isoDuration, sessionDetails, type SessionView } from './session.ts';
export { signInPage, signInUrl, type SignInMode, type SignInPageModel } from './sign-in.ts';
export {
  chooseSessionPage,
  authorizeHiddenFields,
  type ChooseSessionPageModel,
} from './choose-session.ts';
export { confirmationPage, type ConfirmationPageModel } from './confirmation.ts';
export { homePage, ALL_SESSIONS, mfaSettingsUrl, type HomePageModel } from './home.ts';
export { errorPage, type ErrorPageModel } from './error.ts';
export { signedOutPage, type SignedOutPageModel } from './signed-out.ts';
export { returningPage, type ReturningPageModel } from './returning.ts';
export { mfaChallengePage, type MfaChallengePageModel } from './mfa-challenge.ts';
export { chooseSignOutPage, type ChooseSignOutPageModel } from './choose-sign-out.ts';
export { mfaSetupPage, groupedSecret, type MfaSetupPageModel, type MfaSetupState } from './mfa-setup.ts';
export { qrCode, qrModules, qrPath } from './qr-code.ts';
export { chooseRolePage, ROLE_ID_FIELD, type ChooseRolePageModel, type RoleOptionView } from './choose-role.ts';
