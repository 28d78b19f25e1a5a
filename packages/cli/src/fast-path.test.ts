import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFastPath } from './fast-path.ts';

describe('parseFastPath', () => {
  it('takes credential-process with or without --profile', () => {
    assert.deepEqual(parseFastPath(['credential-process']), { command: 'credential-process', options: {} });
    assert.deepEqual(parseFastPath(['credential-process', '--profile', 'dev']), { command: 'credential-process', options: { profile: 'dev' } });
    assert.deepEqual(parseFastPath(['credential-process', '--profile=dev']), { command: 'credential-process', options: { profile: 'dev' } });
  });
  it('takes --endpoint-url, as login and whoami do', () => {
    assert.deepEqual(parseFastPath(['credential-process', '--profile', 'dev', '--endpoint-url', 'http://127.0.0.1:4466']), {
      command: 'credential-process',
      options: { profile: 'dev', endpointUrl: 'http://127.0.0.1:4466' },
    });
    assert.deepEqual(parseFastPath(['credential-process', '--endpoint-url=http://h:1']), { command: 'credential-process', options: { endpointUrl: 'http://h:1' } });
  });
  it('leaves everything else to commander', () => {
    for (const argv of [
      [],
      ['login'],
      ['credential-process', '--help'],
      ['credential-process', '--profile'],
      ['credential-process', '--profile', '--help'],
      ['credential-process', '--profile='],
      ['credential-process', '--profile', 'a', '--profile', 'b'],
      ['credential-process', 'extra'],
      ['credential-process', '--prof', 'x'],
      ['credential-process', '--endpoint-url'],
      ['credential-process', '--endpoint-url', 'a', '--endpoint-url', 'b'],
    ]) {
      assert.equal(parseFastPath(argv), undefined, argv.join(' '));
    }
  });
});
