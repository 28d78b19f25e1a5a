// `keyless admin list-sessions` pages as the AWS CLI does (--max-items, --starting-token), says how
// many sessions are active in all, and never cuts a list without saying so (it stopped at 1,000
// lines in silence, with 1,013 active).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { openStore } from '../store/store.ts';
import { loginSession, seedAccount, T0 } from '../testing/store-contract/fixtures.ts';
import { registerAdmin } from './admin.ts';

const SESSIONS = 5;

describe('keyless admin list-sessions', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyless-admin-sessions-'));
    const store = await openStore({ kind: 'sqlite', file: join(dir, 'keyless.db') });
    const { users } = await seedAccount(store, ['alice']);
    // Sessions that end long after the real clock's now, which the command reads.
    for (let i = 0; i < SESSIONS; i++) await store.read((rs) => rs.loginSessions.create(loginSession(`session-${i}`, users[0]!, { created_at: T0 + i, expires_at: Date.now() + 3600_000 })));
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function admin(...args: string[]): Promise<{ out: string; err: string }> {
    let [out, err] = ['', ''];
    const program = new Command('keyless').exitOverride();
    registerAdmin(program, { env: { KEYLESS_DATA_DIR: dir }, readStdin: async () => '', out: (text) => void (out += text), err: (text) => void (err += text) });
    await program.parseAsync(['node', 'keyless', 'admin', 'list-sessions', ...args]);
    return { out, err };
  }
  const ids = (out: string) => out.trim().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { sessionId: string }).sessionId);

  it('a page at a time with --max-items and --starting-token, the total and the next token on stderr, until the last page', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    const summaries: Array<{ shown: number; total: number; nextToken?: string }> = [];
    do {
      const { out, err } = await admin('--json', '--max-items', '2', ...(token ? ['--starting-token', token] : []));
      seen.push(...ids(out));
      const summary = JSON.parse(err) as { shown: number; total: number; nextToken?: string };
      summaries.push(summary);
      token = summary.nextToken;
    } while (token);
    assert.deepEqual(seen, ['session-4', 'session-3', 'session-2', 'session-1', 'session-0']);
    assert.deepEqual(summaries.map(({ shown, total, nextToken }) => [shown, total, nextToken !== undefined]), [[2, 5, true], [2, 5, true], [1, 5, false]]);
  });

  it('in text, a cut list says how many are shown of how many, and the command for the next page', async () => {
    const { out, err } = await admin('--max-items', '3');
    assert.equal(out.trim().split('\n').length, 3);
    const next = /^3 sessions shown, 5 active in all\. The next page: keyless admin list-sessions --starting-token (\S+)\n$/.exec(err);
    assert.ok(next, err);
    const rest = await admin('--starting-token', next[1]!);
    assert.equal(rest.out.trim().split('\n').length, 2);
    assert.equal(rest.err, '5 active sessions in all.\n');
    assert.equal((await admin()).err, '5 active sessions.\n');
  });

  it('refuses a token it did not print, and a --max-items that is not a whole number from 1', async () => {
    await assert.rejects(admin('--starting-token', 'not-a-token'), /--starting-token is not a token that list-sessions printed/);
    await assert.rejects(admin('--max-items', '0'), /--max-items is a whole number from 1 to 100000/);
  });
});
