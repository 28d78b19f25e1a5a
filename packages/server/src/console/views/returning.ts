// Sends the browser back to a loopback listener whose address CSP `form-action` cannot name
// (`http://[::1]:*` is not valid source syntax), by a meta refresh instead of a redirect.
import { attrUrl, html } from './html.ts';
import { layout } from './layout.ts';

export interface ReturningPageModel {
  location: string;
}

export function returningPage({ location }: ReturningPageModel): string {
  const body = html`<h1>Returning to your terminal…</h1>
<p class="lead">If nothing happens, <a href="${attrUrl(location)}">continue here</a>.</p>`;
  return layout({ title: 'Returning', body, refreshTo: location });
}
