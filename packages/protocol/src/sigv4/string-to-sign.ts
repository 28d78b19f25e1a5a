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

/** The number the `count` ASCII digits at `start` spell, or -1 unless all are digits. */
function digitsAt(value: string, start: number, count: number): number {
  let number = 0;
  for (let i = start; i < start + count; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    number = number * 10 + digit;
  }
  return number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * Midnight UTC (epoch ms) of the `YYYYMMDD` at the start of `value`, or undefined unless it is a
 * real calendar day. Checked field by field rather than round-tripped through Date: every
 * signed request parses two of these. Years before 100 are refused, as Date.UTC would read
 * them as 1900–1999.
 */
function calendarDay(value: string): number | undefined {
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 4, 2);
  const day = digitsAt(value, 6, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1) return undefined;
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= days ? Date.UTC(year, month - 1, day) : undefined;
}

/** The instant an `X-Amz-Date` names, or undefined unless it is exactly `YYYYMMDDTHHMMSSZ` and a real date. */
export function parseAmzDate(value: string): Date | undefined {
  if (value.length !== 16 || value[8] !== 'T' || value[15] !== 'Z') return undefined;
  const midnight = calendarDay(value);
  const hours = digitsAt(value, 9, 2);
  const minutes = digitsAt(value, 11, 2);
  const seconds = digitsAt(value, 13, 2);
  if (midnight === undefined || hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return undefined;
  return new Date(midnight + ((hours * 60 + minutes) * 60 + seconds) * 1000);
}

/** `YYYYMMDD` must name a real calendar day. */
export const isScopeDate = (value: string): boolean => value.length === 8 && calendarDay(value) !== undefined;

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
