// The console's stylesheet, served from /console/assets/console.css (CSP `style-src 'self'`: no
// inline styles anywhere). A string constant because the server ships as one esbuild bundle.
export const CONSOLE_CSS = String.raw`/* Keyless console */
:root {
  color-scheme: light dark;
  --bg: #f1f3f6;
  --card: #ffffff;
  --text: #14171c;
  --muted: #4a5260;
  --border: #d5d9e0;
  --subtle: #f6f7f9;
  --primary: #1d4ed8;
  --primary-hover: #1e40af;
  --on-primary: #ffffff;
  --link: #1d4ed8;
  --focus: #2563eb;
  --error-bg: #fdf0f0;
  --error-border: #e8a3a3;
  --error-text: #8f1d1d;
  --notice-bg: #edf4ff;
  --notice-border: #9dbcf5;
  --notice-text: #173a7a;
  --tab-active: #ffffff;
  --badge-bg: #e8ebf0;
  --badge-text: #323946;
  --ok-bg: #e3f4e8;
  --ok-text: #17572c;
  --shadow: 0 1px 2px rgb(16 24 40 / 6%), 0 8px 24px rgb(16 24 40 / 8%);
  --radius: 14px;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}

@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1015;
    --card: #171b22;
    --text: #e7e9ee;
    --muted: #a9b0bd;
    --border: #333a46;
    --subtle: #1e232c;
    --primary: #2f6bf0;
    --primary-hover: #2459d1;
    --on-primary: #ffffff;
    --link: #8fb6ff;
    --focus: #8fb6ff;
    --error-bg: #2d1618;
    --error-border: #7a3036;
    --error-text: #ffc2c2;
    --notice-bg: #14233d;
    --notice-border: #2f4f86;
    --notice-text: #c6dbff;
    --tab-active: #323a48;
    --badge-bg: #2a303b;
    --badge-text: #d3d8e0;
    --ok-bg: #16301f;
    --ok-text: #a6e3b8;
    --shadow: 0 1px 2px rgb(0 0 0 / 40%), 0 8px 24px rgb(0 0 0 / 35%);
  }
}

*, *::before, *::after { box-sizing: border-box; }

html {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: 100%;
  line-height: 1.5;
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}

body {
  margin: 0;
  min-height: 100vh;
  display: flex;
  flex-direction: column;
  align-items: center;
  padding: 2rem 1rem;
  gap: 1.25rem;
  background: var(--bg);
  color: var(--text);
}

h1, h2, p, ul, ol { margin: 0; }
h1 { font-size: 1.5rem; line-height: 1.25; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 1rem; font-weight: 650; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
code { font-family: var(--mono); font-size: 0.9em; }
.command { white-space: nowrap; }

:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
  border-radius: 4px;
}

/* Page shell */
.site-header, .site-footer, .card { width: 100%; max-width: 28rem; }
.site-header { display: flex; justify-content: center; }
.brand {
  display: inline-flex;
  align-items: center;
  gap: 0.5rem;
  color: var(--text);
  text-decoration: none;
  font-weight: 700;
  font-size: 1.125rem;
  letter-spacing: -0.01em;
}
.brand-mark { width: 1.75rem; height: 1.75rem; color: var(--primary); }
.card {
  display: flex;
  flex-direction: column;
  gap: 1.25rem;
  padding: 2rem 1.75rem;
  background: var(--card);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  box-shadow: var(--shadow);
  overflow-wrap: anywhere;
}
.site-footer { text-align: center; color: var(--muted); font-size: 0.8125rem; }
.lead { color: var(--muted); }
.small { font-size: 0.875rem; color: var(--muted); }
.stack { display: flex; flex-direction: column; gap: 0.75rem; }
.center { text-align: center; }

/* Alerts */
.alert { padding: 0.75rem 1rem; border: 1px solid; border-radius: 10px; font-size: 0.9375rem; }
.alert-error { background: var(--error-bg); border-color: var(--error-border); color: var(--error-text); }
.alert-notice { background: var(--notice-bg); border-color: var(--notice-border); color: var(--notice-text); }

/* Tabs (links that switch the sign-in mode) */
.tabs {
  display: grid;
  grid-template-columns: 1fr 1fr;
  gap: 0.25rem;
  padding: 0.25rem;
  background: var(--subtle);
  border: 1px solid var(--border);
  border-radius: 10px;
}
.tab {
  padding: 0.5rem 0.75rem;
  border-radius: 7px;
  text-align: center;
  font-weight: 600;
  font-size: 0.9375rem;
  color: var(--muted);
  text-decoration: none;
}
.tab:hover { color: var(--text); }
.tab[aria-current="page"] { background: var(--tab-active); color: var(--text); box-shadow: 0 1px 2px rgb(16 24 40 / 12%); }

/* Forms */
form { margin: 0; }
.field { display: flex; flex-direction: column; gap: 0.375rem; }
.field label { font-weight: 600; font-size: 0.9375rem; }
.field .hint { font-size: 0.8125rem; color: var(--muted); }
input[type="text"], input[type="email"], input[type="password"] {
  width: 100%;
  /* 16px keeps iOS from zooming into the field. */
  font: inherit;
  font-size: 1rem;
  padding: 0.625rem 0.75rem;
  color: var(--text);
  background: var(--card);
  border: 1px solid var(--border);
  border-radius: 8px;
}
input:hover { border-color: var(--muted); }
input:focus-visible { outline-offset: 0; border-color: var(--focus); }

/* Buttons and links styled as buttons */
.button {
  /* inline-block, not flex: the label mixes text and <bdi>, which must flow as one line of text. */
  display: inline-block;
  min-height: 2.75rem;
  padding: 0.6875rem 1rem;
  font: inherit;
  font-weight: 600;
  line-height: 1.25;
  text-align: center;
  text-decoration: none;
  border: 1px solid transparent;
  border-radius: 8px;
  cursor: pointer;
  overflow-wrap: anywhere;
}
.button-block { display: block; width: 100%; }
form.stack .button-primary { margin-top: 0.5rem; }
.button-primary { background: var(--primary); color: var(--on-primary); }
.button-primary:hover { background: var(--primary-hover); }
.button-secondary { background: var(--card); color: var(--text); border-color: var(--border); }
.button-secondary:hover { background: var(--subtle); border-color: var(--muted); }
.button-small { min-height: 2.25rem; padding: 0.4375rem 0.75rem; font-size: 0.875rem; }
.list-head { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; }
.list-head a { font-size: 0.9375rem; }
.divider { width: 100%; height: 0; margin: 0.25rem 0; border: 0; border-top: 1px solid var(--border); }

/* Session lists */
.sessions { list-style: none; padding: 0; display: flex; flex-direction: column; gap: 0.75rem; }
.session {
  display: flex;
  flex-direction: column;
  gap: 0.75rem;
  padding: 1rem;
  border: 1px solid var(--border);
  border-radius: 10px;
  background: var(--subtle);
}
.session-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.375rem 0.5rem; }
.session-name { font-weight: 650; }
.session-arn {
  display: block;
  font-size: 0.8125rem;
  color: var(--muted);
  overflow-wrap: anywhere;
}
.session-meta { display: flex; flex-wrap: wrap; margin: 0; gap: 0.25rem 1rem; font-size: 0.875rem; color: var(--muted); }
.session-meta dt { display: inline; }
.session-meta dd { display: inline; margin: 0; color: var(--text); font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge {
  display: inline-block;
  padding: 0.0625rem 0.5rem;
  font-size: 0.75rem;
  font-weight: 600;
  border-radius: 999px;
  background: var(--badge-bg);
  color: var(--badge-text);
}
.badge-ok { background: var(--ok-bg); color: var(--ok-text); }
.session-info { display: flex; flex-direction: column; gap: 0.375rem; min-width: 0; }
/* Home: the small sign-out button under the details (side by side, a 28rem card splits ARNs). */
.session-row form { align-self: flex-start; }

/* Who is asking (authorize) */
.requester { padding: 0.75rem 1rem; border-radius: 10px; background: var(--subtle); border: 1px solid var(--border); font-size: 0.9375rem; }
.requester code { overflow-wrap: anywhere; }

/* Verification code */
.code-box {
  display: block;
  padding: 1rem;
  font-family: var(--mono);
  font-size: 1.25rem;
  line-height: 1.5;
  letter-spacing: 0.02em;
  text-align: center;
  background: var(--subtle);
  border: 2px dashed var(--border);
  border-radius: 10px;
  overflow-wrap: anywhere;
  word-break: break-all;
  -webkit-user-select: all;
  user-select: all;
}
.copy-row { display: flex; align-items: center; gap: 0.75rem; min-height: 2.75rem; }
.copy-status { font-size: 0.875rem; color: var(--muted); }

.request-id { font-size: 0.75rem; color: var(--muted); }
.request-id code { overflow-wrap: anywhere; }

/* Home: sign-out button and MFA link side by side under the details */
.session-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
.small-link { font-size: 0.875rem; }
.session-summary { padding: 0.75rem 1rem; }
.session-arn-inline { overflow-wrap: anywhere; }

/* The 6-digit code field */
input.code-input {
  font-family: var(--mono);
  font-size: 1.375rem;
  letter-spacing: 0.3em;
  text-align: center;
  font-variant-numeric: tabular-nums;
}

/* Choosing a session to sign out: each session is a card holding its radio button */
.choices { margin: 0; padding: 0; border: 0; min-width: 0; }
.choices legend { padding: 0; margin-bottom: 0.5rem; font-weight: 650; }
.choice { position: relative; display: flex; gap: 0.75rem; align-items: flex-start; padding: 0; border: 1px solid var(--border); border-radius: 10px; background: var(--subtle); }
.choice input[type="radio"] { position: absolute; top: 1.125rem; left: 1rem; width: 1.25rem; height: 1.25rem; margin: 0; accent-color: var(--primary); }
.choice label { display: block; width: 100%; padding: 1rem 1rem 1rem 3rem; cursor: pointer; border-radius: 10px; }
.choice:has(input:checked) { border-color: var(--primary); box-shadow: 0 0 0 1px var(--primary); }
.choice input:focus-visible + label { outline: 3px solid var(--focus); outline-offset: 2px; }

/* MFA set-up */
.steps { padding-left: 1.5rem; display: flex; flex-direction: column; gap: 1.5rem; }
/* list-item, not flex: a flex item loses its number. */
.steps > li > * + * { margin-top: 0.75rem; }
.steps > li::marker { font-weight: 650; }
.steps h2 { line-height: 1.4; }
.qr-frame { display: block; margin-left: auto; margin-right: auto; }
.qr-frame { align-self: center; width: 100%; max-width: 15rem; padding: 0.5rem; background: #ffffff; border: 1px solid var(--border); border-radius: 10px; }
.qr-code { display: block; width: 100%; height: auto; }
.manual summary { cursor: pointer; color: var(--link); font-size: 0.9375rem; }
.manual[open] > * + * { margin-top: 0.5rem; }
.code-box.code-box-small { font-size: 1rem; padding: 0.75rem; word-spacing: 0.25em; word-break: normal; overflow-wrap: normal; }

[hidden] { display: none !important; }
.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}

@media (max-width: 30rem) {
  body { padding: 1rem 0.75rem; gap: 1rem; }
  .card { padding: 1.5rem 1.125rem; }
  h1 { font-size: 1.375rem; }
  .code-box { font-size: 1.125rem; }
}

@media (prefers-reduced-motion: no-preference) {
  .button, .tab, input { transition: background-color 120ms, border-color 120ms, color 120ms; }
}
`;
