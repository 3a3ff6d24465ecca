// The public randomness beacon a draw is anchored to: a drand chain, read over its HTTP API with
// drand-client and checked here with noble (docs/draw-spec.md). Nothing from the beacon is trusted
// unchecked: the chain info must hash to the configured chain hash, and every round's BLS signature must
// verify against that chain's key before its randomness is used.
import { createHash } from 'node:crypto';
import { HttpChain, HttpChainClient } from 'drand-client';
import { verifyBeaconOutput } from '../domain/beacon-verify.ts';
import {
  type BeaconAnchor,
  type BeaconOutput,
  chainHashOf,
  firstRoundAtOrAfter,
} from '../domain/draw-spec.ts';
import type { HashFn } from '../domain/lottery.ts';

const nodeHash: HashFn = (data) => createHash('sha256').update(data).digest();

export type ChainInfo = Omit<BeaconAnchor, 'round'>;

/** League of Entropy quicknet, pinned so a fresh start needs no round trip for the default chain. */
export const QUICKNET: ChainInfo = {
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  period: 3,
  genesisTime: 1692803367,
  groupHash: 'f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e',
  beaconId: 'quicknet',
  scheme: 'bls-unchained-g1-rfc9380',
};

export class BeaconError extends Error {}

/** What a draw's beacon step found: the round, or why it is not there yet. */
export type RoundFetch = { ok: true; output: BeaconOutput } | { ok: false; reason: string };

interface RawInfo {
  public_key: string;
  period: number;
  genesis_time: number;
  hash: string;
  groupHash: string;
  schemeID: string;
  metadata?: { beaconID?: string };
}

/** A chain's info as served, accepted only if it hashes to the chain hash it claims and we expect. */
export function chainInfoFrom(raw: RawInfo, expectedHash: string): ChainInfo {
  const info: ChainInfo = {
    chainHash: raw.hash,
    publicKey: raw.public_key,
    period: raw.period,
    genesisTime: raw.genesis_time,
    groupHash: raw.groupHash,
    beaconId: raw.metadata?.beaconID ?? 'default',
    scheme: raw.schemeID,
  };
  if (raw.hash !== expectedHash)
    throw new BeaconError(`beacon serves chain ${raw.hash}, not ${expectedHash}`);
  if (chainHashOf(info, nodeHash) !== expectedHash)
    throw new BeaconError(`chain info of ${expectedHash} does not hash to it`);
  return info;
}

export interface BeaconOptions {
  urls: string[];
  chainHash: string;
  publicKey?: string;
  delaySeconds: number;
  /** Per-request limit: a hanging endpoint must not hold the draw. */
  timeoutMs?: number;
}

export class DrandBeacon {
  private info: ChainInfo | null;

  constructor(readonly opts: BeaconOptions) {
    this.info = opts.chainHash === QUICKNET.chainHash ? QUICKNET : null;
    if (this.info && opts.publicKey && opts.publicKey !== this.info.publicKey)
      throw new BeaconError('BEACON_PUBLIC_KEY is not the public key of the configured chain');
  }

  /** From the BEACON_* settings (src/config.ts); null when no URLs are set: draws run unanchored. */
  static fromConfig(config: {
    BEACON_URLS?: string | undefined;
    BEACON_CHAIN_HASH: string;
    BEACON_PUBLIC_KEY?: string | undefined;
    BEACON_DELAY_S: number;
  }): DrandBeacon | null {
    if (!config.BEACON_URLS) return null;
    return new DrandBeacon({
      urls: config.BEACON_URLS.split(',').map((u) => u.replace(/\/+$/, '')),
      chainHash: config.BEACON_CHAIN_HASH,
      publicKey: config.BEACON_PUBLIC_KEY,
      delaySeconds: config.BEACON_DELAY_S,
    });
  }

  get chain(): ChainInfo {
    if (!this.info) throw new BeaconError('beacon chain info not loaded (DrandBeacon.init)');
    return this.info;
  }

  /** Loads the chain info of a chain other than quicknet from the first endpoint that answers. */
  async init(): Promise<void> {
    if (this.info) return;
    const errors: string[] = [];
    for (const url of this.opts.urls) {
      try {
        const raw = (await new HttpChain(
          `${url}/${this.opts.chainHash}`,
          this.chainOptions(),
        ).info()) as RawInfo;
        const info = chainInfoFrom(raw, this.opts.chainHash);
        if (this.opts.publicKey && this.opts.publicKey !== info.publicKey)
          throw new BeaconError('BEACON_PUBLIC_KEY is not the public key of the configured chain');
        this.info = info;
        return;
      } catch (err) {
        if (err instanceof BeaconError) throw err;
        errors.push(`${url}: ${(err as Error).message}`);
      }
    }
    throw new BeaconError(`no beacon endpoint gave the chain info (${errors.join('; ')})`);
  }

  /** The anchor fixed when a draw opens: the first round at or after its close plus the delay. */
  anchorFor(closesAtMs: number): BeaconAnchor {
    const chain = this.chain;
    const round = firstRoundAtOrAfter(chain, Math.ceil(closesAtMs / 1000) + this.opts.delaySeconds);
    return { ...chain, round };
  }

  private chainOptions() {
    // drand-client's own check uses an older noble; ours (verifyBeaconOutput) is the one that counts.
    return { disableBeaconVerification: true, noCache: true };
  }

  /**
   * The round, verified, from the first endpoint that has it. Not yet published, unreachable endpoints:
   * { ok: false } with the reason, to wait and try again. A round that fails its signature check is an
   * error: a beacon that serves forged rounds must stop the draw, not be retried into acceptance.
   */
  async fetchRound(anchor: BeaconAnchor): Promise<RoundFetch> {
    const reasons: string[] = [];
    for (const url of this.opts.urls) {
      let raw: { round: number; signature: string; randomness: string };
      try {
        const client = new HttpChainClient(new HttpChain(`${url}/${anchor.chainHash}`, this.chainOptions()), {
          ...this.chainOptions(),
        });
        raw = await withTimeout(client.get(anchor.round), this.opts.timeoutMs ?? 10_000);
      } catch (err) {
        reasons.push(`${url}: ${(err as Error).message}`);
        continue;
      }
      const output: BeaconOutput = { round: raw.round, signature: raw.signature, randomness: raw.randomness };
      if (output.round !== anchor.round)
        throw new BeaconError(`${url} answered round ${output.round} for round ${anchor.round}`);
      const check = verifyBeaconOutput(anchor, output, nodeHash);
      if (!check.ok) throw new BeaconError(`${url}: round ${anchor.round}: ${check.reason}`);
      return { ok: true, output };
    }
    return { ok: false, reason: reasons.join('; ') || 'no beacon endpoint configured' };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
