import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIni, setIniValue, setIniValues, type IniTarget } from './ini.ts';

const profile = (name: string, key: string, subsection?: string): IniTarget => ({
  sections: name === 'default' ? ['default', 'profile default'] : [name],
  key,
  ...(subsection ? { subsection } : {}),
});

/**
 * Each case: a file, the edits, and the exact result. Whatever the edit does not touch must come
 * back byte for byte — the expected text is written out in full to make that visible.
 */
const CASES: Array<{ name: string; before: string; edits: Array<[IniTarget, string]>; after: string }> = [
  {
    name: 'empty file: creates [default] with a trailing newline',
    before: '',
    edits: [[profile('default', 'login_session'), 'arn:aws:iam::111111111111:user/alice']],
    after: '[default]\nlogin_session = arn:aws:iam::111111111111:user/alice\n',
  },
  {
    name: 'appends to an existing section after its last key, before the blank line and the next section',
    before: '# my config\n[default]\nregion = eu-west-1 ; work\n\n# dev account\n[profile dev]\noutput = json\n',
    edits: [[profile('default', 'login_session'), 'S']],
    after: '# my config\n[default]\nregion = eu-west-1 ; work\nlogin_session = S\n\n# dev account\n[profile dev]\noutput = json\n',
  },
  {
    name: 'replaces in place, keeping spacing, key spelling and the inline comment',
    before: '[profile dev]\n  login_session=old   # set by keyless\nregion = us-east-1\n',
    edits: [[profile('profile dev', 'login_session'), 'new']],
    after: '[profile dev]\n  login_session=new   # set by keyless\nregion = us-east-1\n',
  },
  {
    name: 'CRLF is kept, also on the added lines',
    before: '[default]\r\nregion = us-east-1\r\n\r\n[profile x]\r\noutput = text\r\n',
    edits: [
      [profile('profile x', 'login_session'), 'S'],
      [profile('profile y', 'login_session'), 'T'],
    ],
    after: '[default]\r\nregion = us-east-1\r\n\r\n[profile x]\r\noutput = text\r\nlogin_session = S\r\n\r\n[profile y]\r\nlogin_session = T\r\n',
  },
  {
    name: 'no trailing newline: still none after appending to the last section',
    before: '[profile x]\nregion = us-east-1',
    edits: [[profile('profile x', 'login_session'), 'S']],
    after: '[profile x]\nregion = us-east-1\nlogin_session = S',
  },
  {
    name: 'no trailing newline: a new section starts on its own line, and the file still ends without one',
    before: '[default]\nregion = us-east-1',
    edits: [[profile('profile x', 'login_session'), 'S']],
    after: '[default]\nregion = us-east-1\n\n[profile x]\nlogin_session = S',
  },
  {
    name: '[default] is not [profile default]; a "profile default" key is only written when it already exists there',
    before: '[profile default]\nregion = us-west-2\n[default]\noutput = json\n',
    edits: [[profile('default', 'login_session'), 'S']],
    after: '[profile default]\nregion = us-west-2\n[default]\noutput = json\nlogin_session = S\n',
  },
  {
    name: 'the key in [profile default] is replaced too, so either reading finds the new value',
    before: '[profile default]\nlogin_session = old\n[default]\nlogin_session = old\n',
    edits: [[profile('default', 'login_session'), 'new']],
    after: '[profile default]\nlogin_session = new\n[default]\nlogin_session = new\n',
  },
  {
    name: 'duplicate keys: every copy gets the new value',
    before: '[profile x]\nregion = a\nregion = b\n',
    edits: [[profile('profile x', 'region'), 'c']],
    after: '[profile x]\nregion = c\nregion = c\n',
  },
  {
    name: 'duplicate sections: appended to the last copy (the one the SDKs read last)',
    before: '[profile x]\noutput = json\n\n[profile x]\nregion = a\n\n[profile z]\n',
    edits: [[profile('profile x', 'login_session'), 'S']],
    after: '[profile x]\noutput = json\n\n[profile x]\nregion = a\nlogin_session = S\n\n[profile z]\n',
  },
  {
    name: 'the section at the very end of the file, with only a header',
    before: '[default]\nregion = a\n[profile last]',
    edits: [[profile('profile last', 'login_session'), 'S']],
    after: '[default]\nregion = a\n[profile last]\nlogin_session = S',
  },
  {
    name: 'a top-level key is not confused with the same key in a sub-section, and is added after it',
    before: '[profile x]\ns3 =\n  endpoint_url = http://s3\n  addressing_style = path\n# trailing comment\n',
    edits: [[profile('profile x', 'endpoint_url'), 'http://top']],
    after: '[profile x]\ns3 =\n  endpoint_url = http://s3\n  addressing_style = path\nendpoint_url = http://top\n# trailing comment\n',
  },
  {
    name: 'sub-section: replaces the key inside it',
    before: '[services local]\nsignin =\n    endpoint_url = http://old\nsts =\n    endpoint_url = http://sts\n',
    edits: [[{ sections: ['services local'], subsection: 'signin', key: 'endpoint_url' }, 'http://new']],
    after: '[services local]\nsignin =\n    endpoint_url = http://new\nsts =\n    endpoint_url = http://sts\n',
  },
  {
    name: 'sub-section: adds a key to it with its indentation',
    before: '[services local]\nsts =\n\tregion = us-east-1\n\n[default]\n',
    edits: [[{ sections: ['services local'], subsection: 'sts', key: 'endpoint_url' }, 'http://k']],
    after: '[services local]\nsts =\n\tregion = us-east-1\n\tendpoint_url = http://k\n\n[default]\n',
  },
  {
    name: 'sub-section: created inside an existing section, and a new section with one',
    before: '[services local]\ns3 =\n  endpoint_url = http://s3\n',
    edits: [
      [{ sections: ['services local'], subsection: 'signin', key: 'endpoint_url' }, 'http://k'],
      [{ sections: ['services other'], subsection: 'sts', key: 'endpoint_url' }, 'http://k'],
    ],
    after: '[services local]\ns3 =\n  endpoint_url = http://s3\nsignin =\n  endpoint_url = http://k\n\n[services other]\nsts =\n  endpoint_url = http://k\n',
  },
  {
    name: 'comments with ; and #, odd spacing in headers, and keys before any section stay as they are',
    before: 'stray = value\n;comment\n[ profile   dev ]  # the dev one\nregion=us-east-1\n\n#[profile dev]\n',
    edits: [[profile('profile dev', 'login_session'), 'S']],
    after: 'stray = value\n;comment\n[ profile   dev ]  # the dev one\nregion=us-east-1\nlogin_session = S\n\n#[profile dev]\n',
  },
  {
    name: 'a file of blank lines only',
    before: '\n\n',
    edits: [[profile('default', 'region'), 'us-east-1']],
    after: '\n\n[default]\nregion = us-east-1\n',
  },
];

describe('setIniValue', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const after = setIniValues(testCase.before, testCase.edits.map(([target, value]) => ({ target, value })));
      assert.equal(after, testCase.after);
      // And the SDK-style reading of the result agrees with what was set.
      const sections = parseIni(after);
      for (const [target, value] of testCase.edits) {
        const section = target.sections.map((name) => sections.get(name)).find((s) => s !== undefined);
        const read = target.subsection ? section?.subsections[target.subsection]?.[target.key] : section?.values[target.key];
        assert.equal(read, value, `${target.sections[0]} ${target.subsection ?? ''} ${target.key}`);
      }
    });
  }

  it('keeps every untouched line byte-identical in a large file with mixed line endings', () => {
    const before = [
      '# header comment\r', // the first line ending (CRLF) is the one added lines get
      '[default]',
      'region = us-east-1',
      'cli_pager=',
      '',
      '[profile a]  ; trailing',
      'role_arn = arn:aws:iam::1:role/x',
      'source_profile = default',
      '[sso-session corp]',
      'sso_start_url = https://corp.awsapps.com/start',
      '[services s]',
      'dynamodb =',
      '  endpoint_url = http://localhost:8000',
      '',
    ].join('\n');
    const after = setIniValue(before, profile('profile new', 'login_session'), 'S');
    assert.ok(after.startsWith(before), 'the original text is a prefix of the result');
    assert.equal(after.slice(before.length), '\r\n[profile new]\r\nlogin_session = S\r\n');
  });

  it('refuses values that would span lines', () => {
    assert.throws(() => setIniValue('', profile('default', 'region'), 'a\n[profile evil]'));
  });
});

describe('parseIni', () => {
  it('reads sections, inline comments and sub-sections the way the SDKs do', () => {
    const sections = parseIni(
      '[default]\nregion = us-east-1 # comment\n[profile  x]\nservices = s\n[services s]\nsignin =\n  endpoint_url = http://k\nregion = r\n',
    );
    assert.deepEqual(sections.get('default')?.values, { region: 'us-east-1' });
    assert.deepEqual(sections.get('profile x')?.values, { services: 's' });
    assert.deepEqual(sections.get('services s'), { values: { region: 'r' }, subsections: { signin: { endpoint_url: 'http://k' } } });
  });

  it('lets a later duplicate win', () => {
    assert.equal(parseIni('[default]\nregion = a\n[default]\nregion = b\n').get('default')?.values.region, 'b');
  });
});
