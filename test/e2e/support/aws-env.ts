// The official SDK reads its settings from process.env: set them for one test, restore after.
import type { TestContext } from 'node:test';

/** Removes every AWS_* variable, sets `vars`, and puts the environment back when `t` ends. */
export function useAwsEnvironment(t: TestContext, vars: Record<string, string>): void {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, vars);
  t.after(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
}
