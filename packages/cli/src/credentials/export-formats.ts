// The output formats of `aws configure export-credentials` (awscli
// customizations/configure/exportcreds.py), byte for byte: per-line variables for key, secret,
// token and expiration, or credential_process JSON indented by two. The expiration is written as
// Python's `datetime.isoformat()` writes botocore's timezone-aware expiry: `…T20:15:00+00:00`.
import type { LoginCacheFile } from '@keyless/protocol';
import { CliError } from '../ui/errors.ts';

export const EXPORT_FORMATS = ['env', 'env-no-export', 'powershell', 'windows-cmd', 'process'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type Credentials = LoginCacheFile['accessToken'];

const LINE_FORMATS: Record<Exclude<ExportFormat, 'process'>, (name: string, value: string) => string> = {
  env: (name, value) => `export ${name}=${value}`,
  'env-no-export': (name, value) => `${name}=${value}`,
  powershell: (name, value) => `$Env:${name}="${value}"`,
  'windows-cmd': (name, value) => `set ${name}=${value}`,
};

// awscli prints values unquoted, for `eval "$(…)"`. Real keys, tokens and dates never leave this
// set (base64 and ISO-8601), so matching the format costs nothing; a value outside it — a server
// sending `$(…)` in a token — is refused rather than handed to a shell.
const SHELL_SAFE = /^[A-Za-z0-9+/=._:-]+$/;

export function formatCredentials(format: ExportFormat, credentials: Credentials): string {
  const expiration = pythonIsoformat(credentials.expiresAt);
  if (format === 'process') {
    const json = {
      Version: 1,
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: expiration,
    };
    // json.dumps(indent=2, separators=(',', ': ')) and JSON.stringify(…, null, 2) agree.
    return `${JSON.stringify(json, null, 2)}\n`;
  }
  const variables: Array<[string, string]> = [
    ['AWS_ACCESS_KEY_ID', credentials.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey],
    ['AWS_SESSION_TOKEN', credentials.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', expiration],
  ];
  for (const [name, value] of variables) {
    if (!SHELL_SAFE.test(value)) {
      throw new CliError('CREDENTIALS_NOT_SHELL_SAFE', `The cached ${name} holds characters a shell would interpret; refusing to print it as ${format}. Use --format process.`);
    }
  }
  const line = LINE_FORMATS[format];
  return variables.map(([name, value]) => `${line(name, value)}\n`).join('');
}

/** `2026-11-23T20:15:00Z` → `2026-11-23T20:15:00+00:00`; milliseconds as Python's six digits. */
export function pythonIsoformat(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new CliError('CACHE_FILE_INVALID', `The cached expiresAt is not a date: ${JSON.stringify(iso)}`);
  const ms = date.getUTCMilliseconds();
  return `${date.toISOString().slice(0, 19)}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}000`}+00:00`;
}
