// The token API's bodies: JSON or form-encoded (the model allows both), parsed by us so that
// every malformed input becomes a ValidationException, never a framework 415 or 500.
import { invalidRequest } from '@keyless/protocol';

export const MAX_BODY_BYTES = 16 * 1024;

export function parseApiBody(contentType: string | undefined, raw: Buffer | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = (raw ?? Buffer.alloc(0)).toString('utf8');
  if (type === 'application/json' || type === 'application/x-amz-json-1.1' || type.endsWith('+json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalidRequest('The request body is not valid JSON.');
    }
  }
  if (type === 'application/x-www-form-urlencoded') return formFields(text, invalidRequest);
  throw invalidRequest('Content-Type must be application/json or application/x-www-form-urlencoded.');
}

/**
 * Form fields as a null-prototype record (the client names the keys: `__proto__` is a field, not
 * the prototype); a repeated field is an error (RFC 6749 §3.2: parameters MUST NOT repeat).
 */
export function formFields(text: string, fail: (message: string) => Error = (m) => new Error(m)): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(fields, key)) throw fail(`${key} is given more than once.`);
    fields[key] = value;
  }
  return fields;
}
