// The beacon service against the local drand double: chain info checked against its hash, rounds fetched
// with drand-client and verified with noble, a forged round refused, a missing one reported, not guessed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { firstRoundAtOrAfter, roundTime } from '../../src/domain/draw-spec.ts';
import { BeaconError, DrandBeacon, QUICKNET } from '../../src/services/beacon.ts';
import { type BeaconDouble, startBeaconDouble } from '../support/beacon-double.ts';
import { QUICKNET_RECORDED, testChain } from '../support/test-chain.ts';

let double: BeaconDouble;
const clock = { ms: Date.parse('2026-12-01T12:00:00Z') };

beforeAll(async () => {
  double = await startBeaconDouble(() => clock.ms);
});
afterAll(() => double.stop());

const beaconFor = (chainHash: string, urls = [double.url]) =>
  new DrandBeacon({ urls, chainHash, delaySeconds: 60, timeoutMs: 2000 });

describe('DrandBeacon', () => {
  it('verifies recorded real quicknet rounds through drand-client', async () => {
    const b = beaconFor(QUICKNET.chainHash);
    for (const r of QUICKNET_RECORDED.rounds) {
      const got = await b.fetchRound({ ...QUICKNET, round: r.round });
      expect(got).toEqual({ ok: true, output: r });
    }
    expect(double.requests).toContain(`/${QUICKNET.chainHash}/public/1000`);
  });

  it('loads a test chain from its info only when the info hashes to the configured chain hash', async () => {
    const b = beaconFor(double.chain.info.chainHash);
    expect(() => b.chain).toThrow(BeaconError);
    await b.init();
    expect(b.chain).toEqual(double.chain.info);
    const other = testChain({ label: 'another chain' }).info.chainHash;
    await expect(beaconFor(other).init()).rejects.toThrow(/no beacon endpoint gave the chain info/);
  });

  it('fixes the first round at or after close + delay, and finds it only once published', async () => {
    const b = beaconFor(double.chain.info.chainHash);
    await b.init();
    const close = Date.parse('2026-12-01T12:00:30Z');
    const anchor = b.anchorFor(close);
    expect(anchor.round).toBe(firstRoundAtOrAfter(double.chain.info, close / 1000 + 60));
    expect(roundTime(anchor, anchor.round) * 1000).toBeGreaterThanOrEqual(close + 60_000);
    expect(roundTime(anchor, anchor.round - 1) * 1000).toBeLessThan(close + 60_000);
    clock.ms = close;
    const early = await b.fetchRound(anchor);
    expect(early.ok).toBe(false);
    clock.ms = roundTime(anchor, anchor.round) * 1000;
    const got = await b.fetchRound(anchor);
    expect(got).toEqual({ ok: true, output: double.chain.sign(anchor.round) });
  });

  it('tries the next endpoint when one is down, and reports an outage without guessing', async () => {
    const b = beaconFor(QUICKNET.chainHash, ['http://127.0.0.1:1', double.url]);
    const r = QUICKNET_RECORDED.rounds[0]!;
    expect(await b.fetchRound({ ...QUICKNET, round: r.round })).toEqual({ ok: true, output: r });
    double.withhold = true;
    try {
      const down = await b.fetchRound({ ...QUICKNET, round: r.round });
      expect(down.ok).toBe(false);
      if (!down.ok) expect(down.reason).toMatch(/127\.0\.0\.1:1.*; .*404/);
    } finally {
      double.withhold = false;
    }
  });

  it('refuses a round whose signature does not verify under the chain key', async () => {
    // An endpoint serving quicknet's hash but signing with its own key: a forged beacon.
    const forger = testChain({ label: 'forger' });
    const b = beaconFor(QUICKNET.chainHash);
    double.forger = forger;
    try {
      await expect(b.fetchRound({ ...QUICKNET, round: 1000 })).rejects.toThrow(
        /signature does not verify for round 1000/,
      );
    } finally {
      double.forger = null;
    }
  });
});

describe('beacon configuration', () => {
  // Real-looking keys, so the beacon is all production can still be missing.
  const prod = {
    NODE_ENV: 'production',
    NIK_HASH_KEY: 'q8Xz1Lr0vN4mB6tY2cW9eH5jK3pS7uA0dF1gJ2hL',
    APP_SECRET: 'Tn3Vb8Mx0Zq5Wk2Rj7Yp4Hs9Lc1Fd6Ga0Ue3Io8P',
    LOG_SIGNING_KEY: 'ab'.repeat(32),
  };
  const dev = { NODE_ENV: 'development' };
  it('production refuses to start without a beacon unless told to draw unanchored', () => {
    expect(() => loadConfig(prod)).toThrow(
      new ConfigError(
        'invalid configuration: BEACON_URLS: required in production (or BEACON=off to run draws unanchored)',
      ),
    );
    expect(loadConfig({ ...prod, BEACON: 'off' }).BEACON_URLS).toBeUndefined();
    const anchored = loadConfig({
      ...prod,
      BEACON_URLS: 'https://api.drand.sh',
    });
    expect(DrandBeacon.fromConfig(anchored)!.chain.chainHash).toBe(QUICKNET.chainHash);
  });

  it('development without URLs draws unanchored; BEACON=on needs URLs; a bad URL list is named', () => {
    expect(DrandBeacon.fromConfig(loadConfig(dev))).toBeNull();
    expect(() => loadConfig({ ...dev, BEACON: 'on' })).toThrow(/BEACON_URLS: required with BEACON=on/);
    expect(() => loadConfig({ ...dev, BEACON_URLS: 'api.drand.sh' })).toThrow(
      /BEACON_URLS: must be http\(s\) URLs/,
    );
    expect(() => loadConfig({ ...dev, BEACON_CHAIN_HASH: 'xyz' })).toThrow(/BEACON_CHAIN_HASH/);
  });
});
