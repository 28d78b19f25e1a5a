import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { formatDuration, startWaitingIndicator } from './waiting-indicator.ts';

const stream = (isTTY: boolean) => ({ isTTY, text: '', write(chunk: string) { this.text += chunk; return true; } });

describe('waiting indicator', () => {
  it('spins in place with the elapsed time on a terminal, and clears its line when stopped', async () => {
    const tty = stream(true);
    let now = 0;
    const indicator = startWaitingIndicator(tty, { message: 'Waiting...', timeoutMs: 600_000, now: () => new Date(now), frameMs: 5 });
    now = 75_000;
    await sleep(30);
    indicator.stop();
    assert.match(tty.text, /^\r\x1b\[2K⠋ Waiting\.\.\. 0:00 \/ 10:00/);
    assert.match(tty.text, /⠙ Waiting\.\.\. 1:15 \/ 10:00/);
    assert.ok(tty.text.endsWith('\r\x1b[2K'));
    assert.doesNotMatch(tty.text, /\n/, 'never a new line: the spinner redraws one line');
    const after = tty.text;
    await sleep(20);
    assert.equal(tty.text, after, 'nothing is drawn after stop()');
  });

  it('writes plain lines now and then when not on a terminal', async () => {
    const log = stream(false);
    let now = 0;
    const indicator = startWaitingIndicator(log, { message: 'Waiting...', timeoutMs: 600_000, now: () => new Date(now), plainEveryMs: 10 });
    now = 60_000;
    await sleep(35);
    indicator.stop();
    const lines = log.text.trimEnd().split('\n');
    assert.equal(lines[0], 'Waiting... (times out after 10 min)');
    assert.ok(lines.length >= 2);
    assert.equal(lines[1], 'Still waiting (1:00 of 10:00)...');
    assert.doesNotMatch(log.text, /\r|\x1b/);
  });

  it('formats durations as m:ss', () => {
    assert.equal(formatDuration(0), '0:00');
    assert.equal(formatDuration(9_999), '0:09');
    assert.equal(formatDuration(600_000), '10:00');
  });
});
