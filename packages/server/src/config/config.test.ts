import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmarkKnobOff, ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to SQLite in ~/.keyless and http://127.0.0.1:4466, answering to localhost too', () => {
    const config = loadConfig({}, {}, '/home/dev');
    assert.equal(config.publicUrl, 'http://127.0.0.1:4466');
    assert.deepEqual(config.alternateUrls, ['http://localhost:4466']);
    assert.deepEqual(config.database, { kind: 'sqlite', file: '/home/dev/.keyless/keyless.db' });
  });
  it('uses PostgreSQL for a postgres:// URL', () => {
    assert.equal(loadConfig({ KEYLESS_DATABASE_URL: 'postgres://db/keyless' }).database.kind, 'postgres');
  });
  it('refuses what it cannot honour, naming the variable', () => {
    assert.throws(() => loadConfig({ KEYLESS_PORT: '0' }), /KEYLESS_PUBLIC_URL/);
    assert.throws(() => loadConfig({ KEYLESS_PORT: 'x' }), ConfigError);
    assert.throws(() => loadConfig({ KEYLESS_REGION: 'Mars' }), /KEYLESS_REGION/);
    assert.throws(() => loadConfig({ KEYLESS_PUBLIC_URL: 'https://x.example/path' }), /without a path/);
    assert.throws(() => loadConfig({ KEYLESS_DATABASE_URL: 'mysql://x' }), /KEYLESS_DATABASE_URL/);
  });
  it('proxy trust: a hop count or proxy addresses/CIDRs; true (every hop) is refused, saying what to set', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ KEYLESS_TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ KEYLESS_TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(loadConfig({ KEYLESS_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ KEYLESS_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1,fd00::/8' }).trustProxy, ['10.0.0.5', '10.1.0.0/16', '::1', 'fd00::/8']);
    assert.throws(() => loadConfig({ KEYLESS_TRUST_PROXY: 'true' }), /number of proxies in front of Keyless \(usually 1\)/);
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.1/8/1', 'proxy.example', '99']) assert.throws(() => loadConfig({ KEYLESS_TRUST_PROXY: bad }), /KEYLESS_TRUST_PROXY/, bad);
  });
  it('accepts port 0 with an explicit public URL', () => {
    assert.equal(loadConfig({ KEYLESS_PORT: '0', KEYLESS_PUBLIC_URL: 'https://signin.example.com' }).publicUrl, 'https://signin.example.com');
  });
  it('benchmark knobs: none by default; named ones on loopback only; unknown names refused', () => {
    assert.deepEqual([...loadConfig({}).benchmarkWithout], []);
    assert.deepEqual([...loadConfig({ KEYLESS_BENCHMARK_WITHOUT: 'policies, token-events' }).benchmarkWithout], ['policies', 'token-events']);
    assert.deepEqual([...loadConfig({ KEYLESS_BENCHMARK_WITHOUT: 'policies', KEYLESS_HOST: '::1' }).benchmarkWithout], ['policies']);
    assert.throws(() => loadConfig({ KEYLESS_BENCHMARK_WITHOUT: 'policies', KEYLESS_HOST: '0.0.0.0' }), /refused unless KEYLESS_HOST is loopback/);
    assert.throws(() => loadConfig({ KEYLESS_BENCHMARK_WITHOUT: 'audit' }), /KEYLESS_BENCHMARK_WITHOUT: "audit" is not one of policies, token-events/);
  });
  it('benchmark knobs alternate: off in the odd windows of KEYLESS_BENCHMARK_ALTERNATE_MS only, and only the knobs named', () => {
    const config = loadConfig({ KEYLESS_BENCHMARK_WITHOUT: 'token-events', KEYLESS_BENCHMARK_ALTERNATE_MS: '4000' });
    assert.equal(benchmarkKnobOff(config, 'token-events', 3_999), false);
    assert.equal(benchmarkKnobOff(config, 'token-events', 4_000), true);
    assert.equal(benchmarkKnobOff(config, 'token-events', 7_999), true);
    assert.equal(benchmarkKnobOff(config, 'token-events', 8_000), false);
    assert.equal(benchmarkKnobOff(config, 'policies', 4_000), false);
    const always = loadConfig({ KEYLESS_BENCHMARK_WITHOUT: 'token-events' });
    assert.equal(benchmarkKnobOff(always, 'token-events', 0), true);
    assert.equal(benchmarkKnobOff(loadConfig({}), 'token-events', 4_000), false);
    assert.throws(() => loadConfig({ KEYLESS_BENCHMARK_WITHOUT: 'token-events', KEYLESS_BENCHMARK_ALTERNATE_MS: '10' }), /KEYLESS_BENCHMARK_ALTERNATE_MS/);
  });
});
