// For assert.rejects and assert.throws: the error is a CliError with this code and exit status,
// and, when given, a message that matches.
import assert from 'node:assert/strict';
import { CliError } from '../ui/errors.ts';

export const failsWith = (code: string, exitCode: number, message?: RegExp) => (error: unknown): true => {
  assert.ok(error instanceof CliError, String(error));
  assert.equal(error.code, code, error.message);
  assert.equal(error.exitCode, exitCode);
  if (message) assert.match(error.message, message);
  return true;
};
