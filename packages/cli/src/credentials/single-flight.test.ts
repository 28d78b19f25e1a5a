import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { singleFlight } from './single-flight.ts';

describe('singleFlight', () => {
  it('gives concurrent callers one run, and starts a new one after it settles', async () => {
    let runs = 0;
    const shared = singleFlight(async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return runs;
    });
    assert.deepEqual(await Promise.all([shared(), shared(), shared()]), [1, 1, 1]);
    assert.equal(await shared(), 2);
  });

  it('passes a failure to every waiting caller, then tries again', async () => {
    let runs = 0;
    const shared = singleFlight(async () => {
      if (++runs === 1) throw new Error('first fails');
      return 'ok';
    });
    const results = await Promise.allSettled([shared(), shared()]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.equal(await shared(), 'ok');
    assert.equal(runs, 2);
  });
});
