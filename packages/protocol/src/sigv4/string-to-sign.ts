// Task 2 of SigV4: the string to sign (AWS General Reference, "Create a string to sign"):
//
//   AWS4-HMAC-SHA256 \n RequestDateTime \n CredentialScope \n HexEncode(SHA256(CanonicalRequest))
//
// plus the two date spellings it depends on: ISO 8601 basic (`X-Amz-Date`) and the HTTP `Date`.
import { sha256 } from './sha256.ts';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const SCOPE_TERMINATOR = 'aws4_request';

export interface CredentialScope {
  /** `YYYYMMDD`, UTC. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

export const formatCredentialScope = (scope: CredentialScope): string =>
  `${scope.date}/${scope.region}/${scope.service}/${SCOPE_TERMINATOR}`;

/** `20150830T123600Z`: ISO 8601 basic format, whole seconds, UTC. */
export function formatAmzDate(date: Date): string {
  const iso = date.toISOString();
  // `YYYY-MM-DDTHH:MM:SS.sssZ`; years past 9999 have a longer, signed spelling.
  if (iso.length !== 24) return iso.replace(/[-:]|\.\d{3}/g, '');
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The instant an `X-Amz-Date` names, or undefined unless it is exactly `YYYYMMDDTHHMMSSZ` and a real date. */
export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [year, month, day, hours, minutes, seconds] = [+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
  const date = new Date(Date.UTC(year, month, day, hours, minutes, seconds));
  // Date.UTC rolls 20150231 over into March (and 0099 into 1999): every field must come back.
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hours &&
    date.getUTCMinutes() === minutes &&
    date.getUTCSeconds() === seconds;
  return exact ? date : undefined;
}

/** `YYYYMMDD` must name a real calendar day. */
export const isScopeDate = (value: string): boolean => parseAmzDate(`${value}T000000Z`) !== undefined;

/** The `Date` header AWS accepts when `X-Amz-Date` is absent: RFC 9110 §5.6.7 IMF-fixdate only. */
export function parseHttpDate(value: string): Date | undefined {
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
  const date = new Date(value);
  // toUTCString() prints IMF-fixdate, so equality also checks the weekday and the day of month.
  return !Number.isNaN(date.getTime()) && date.toUTCString() === value ? date : undefined;
}

export function stringToSign(amzDate: string, scope: CredentialScope, canonicalRequest: string): string {
  const hashed = sha256(canonicalRequest, 'hex');
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${formatCredentialScope(scope)}\n${hashed}`;
}
