// A local stand-in for the drand HTTP API (/{chainhash}/info, /{chainhash}/public/{round|latest},
// /public/latest, /chains), so tests never need the network. It serves the recorded real quicknet rounds
// and a test chain whose rounds it signs on demand, but only once their time has come by the clock the
// test gives it: a round in the future is 404, as on drand. `withhold` makes rounds unavailable (an
// outage) to test the visible wait.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstRoundAtOrAfter, roundTime } from '../../src/domain/draw-spec.ts';
import type { ChainInfo } from '../../src/services/beacon.ts';
import { QUICKNET_RECORDED, type TestChain, testChain } from './test-chain.ts';

export interface BeaconDouble {
  url: string;
  chain: TestChain;
  /** Requests served, newest last (path only). */
  requests: string[];
  /** While true, every round is 404 (as if the beacon were down). */
  withhold: boolean;
  /** While set, rounds are signed with this chain's key instead: a forging endpoint. */
  forger: TestChain | null;
  stop(): Promise<void>;
}

function infoJson(info: ChainInfo) {
  return {
    public_key: info.publicKey,
    period: info.period,
    genesis_time: info.genesisTime,
    hash: info.chainHash,
    groupHash: info.groupHash,
    schemeID: info.scheme,
    metadata: { beaconID: info.beaconId },
  };
}

export async function startBeaconDouble(
  nowMs: () => number,
  chain: TestChain = testChain(),
): Promise<BeaconDouble> {
  const recorded = new Map(QUICKNET_RECORDED.rounds.map((r) => [r.round, r]));
  const double: BeaconDouble = {
    url: '',
    chain,
    requests: [],
    withhold: false,
    forger: null,
    stop: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    double.requests.push(path);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const parts = path.split('/').filter(Boolean);
    if (parts.length === 1 && parts[0] === 'chains')
      return send(200, [chain.info.chainHash, QUICKNET_RECORDED.info.chainHash]);
    // /public/latest without a chain hash is the default chain: the test chain here.
    const [hash, kind, which] = parts[0] === 'public' ? [chain.info.chainHash, ...parts] : parts;
    const info =
      hash === chain.info.chainHash
        ? chain.info
        : hash === QUICKNET_RECORDED.info.chainHash
          ? QUICKNET_RECORDED.info
          : null;
    if (!info) return send(404, { error: 'unknown chain' });
    if (kind === 'info' && which === undefined) return send(200, infoJson(info));
    if (kind !== 'public' || which === undefined) return send(404, { error: 'not found' });
    const latest = firstRoundAtOrAfter(info, Math.floor(nowMs() / 1000) + 1) - 1;
    const round = which === 'latest' ? latest : Number(which);
    if (!Number.isInteger(round) || round < 1) return send(400, { error: 'bad round' });
    if (double.withhold || round > latest || roundTime(info, round) * 1000 > nowMs())
      return send(404, { error: 'round not yet available' });
    if (double.forger) return send(200, double.forger.sign(round));
    if (info === chain.info) return send(200, chain.sign(round));
    const r = recorded.get(round);
    return r ? send(200, r) : send(404, { error: 'round not recorded' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  double.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return double;
}
