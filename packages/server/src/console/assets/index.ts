// The console's static files as strings, with the validators the route code sends with them.
import { createHash } from 'node:crypto';
import { CONSOLE_CSS } from './console-css.ts';
import { CONSOLE_JS } from './console-js.ts';

import { CONSOLE_CSS_PATH, CONSOLE_JS_PATH } from './paths.ts';

export { CONSOLE_CSS, CONSOLE_JS, CONSOLE_CSS_PATH, CONSOLE_JS_PATH };

/** A strong ETag (quoted, RFC 9110 §8.8.3): the first 16 base64url chars of the SHA-256 of the body. */
export const assetEtag = (body: string): string =>
  `"${createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 16)}"`;

export const CONSOLE_CSS_ETAG = assetEtag(CONSOLE_CSS);
export const CONSOLE_JS_ETAG = assetEtag(CONSOLE_JS);

export interface ConsoleAsset {
  readonly body: string;
  readonly contentType: string;
  readonly etag: string;
}

/** Keyed by the path the pages link to, for a route that serves `/console/assets/*`. */
export const CONSOLE_ASSETS: Readonly<Record<string, ConsoleAsset>> = Object.freeze({
  [CONSOLE_CSS_PATH]: { body: CONSOLE_CSS, contentType: 'text/css; charset=utf-8', etag: CONSOLE_CSS_ETAG },
  [CONSOLE_JS_PATH]: { body: CONSOLE_JS, contentType: 'text/javascript; charset=utf-8', etag: CONSOLE_JS_ETAG },
});
