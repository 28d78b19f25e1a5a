// The page the browser shows after the redirect back to the CLI. Self-contained: no scripts,
// no external resources, and a CSP that allows none.

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function callbackPage(input: { ok: boolean; title: string; detail: string }): string {
  const colour = input.ok ? '#1d7f3b' : '#b42318';
  const mark = input.ok ? '&#10003;' : '&#10005;';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keyless: ${escapeHtml(input.title)}</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; min-height: 100vh;
         display: flex; align-items: center; justify-content: center; background: #f6f7f9; color: #1f2328; }
  main { background: #fff; border: 1px solid #d8dee4; border-radius: 12px; padding: 2rem 2.5rem; max-width: 32rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .5rem; display: flex; gap: .6rem; align-items: center; }
  .mark { color: ${colour}; font-size: 1.5rem; }
  p { margin: .5rem 0 0; }
  code { background: #f0f2f4; padding: .1rem .3rem; border-radius: 4px; word-break: break-all; }
</style>
</head>
<body>
<main>
<h1><span class="mark" aria-hidden="true">${mark}</span>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.detail)}</p>
<p>You can close this tab and return to your terminal.</p>
</main>
</body>
</html>
`;
}
