"""drand beacon checks for the Python draw verifier (standard library only).

Supports the scheme of the League of Entropy "quicknet" chain,
bls-unchained-g1-rfc9380: round r's signature is a BLS signature (G1,
48 bytes) over SHA-256(r as 8-byte big-endian), checked against the
chain's public key (G2, 96 bytes); the round's randomness is SHA-256 of
the signature bytes. `chain` is the chain's /info JSON as a dict (at least
public_key, schemeID, genesis_time, period).
"""

import hashlib
import math
import struct

from bls12_381 import InvalidPoint, verify

__all__ = ["SCHEME_G1_RFC9380", "BeaconError", "chain_hash", "round_at", "round_time", "verify_beacon"]

SCHEME_G1_RFC9380 = "bls-unchained-g1-rfc9380"
_DST = {SCHEME_G1_RFC9380: b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"}


class BeaconError(ValueError):
    """A beacon round that does not verify, or chain facts that cannot be used."""


def _hex_bytes(value, length, what):
    if not isinstance(value, str):
        raise BeaconError(f"{what} must be a hex string")
    try:
        data = bytes.fromhex(value)
    except ValueError:
        raise BeaconError(f"{what} is not valid hex") from None
    if len(data) != length:
        raise BeaconError(f"{what} must be {length} bytes, got {len(data)}")
    return data


def _round_number(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BeaconError(f"round must be an integer >= 1, got {value!r}")
    return value


def round_message(round_number):
    """The signed message of a round: SHA-256 of the round as 8 big-endian bytes."""
    return hashlib.sha256(_round_number(round_number).to_bytes(8, "big")).digest()


def verify_beacon(chain, round_number, signature_hex):
    """Check round_number's signature against the chain; return its randomness (hex).

    Raises BeaconError if the scheme is not supported, an input is malformed,
    the signature or key is not a valid subgroup point, or the signature does
    not verify for this round under this key.
    """
    scheme = chain.get("schemeID")
    if scheme not in _DST:
        raise BeaconError(f"unsupported drand scheme {scheme!r} (supported: {SCHEME_G1_RFC9380})")
    public_key = _hex_bytes(chain.get("public_key"), 96, "chain public_key")
    signature = _hex_bytes(signature_hex, 48, "beacon signature")
    message = round_message(round_number)
    try:
        valid = verify(public_key, message, signature, _DST[scheme])
    except InvalidPoint as err:
        raise BeaconError(f"round {round_number}: {err}") from None
    if not valid:
        raise BeaconError(f"round {round_number}: signature does not verify under the chain's public key")
    return hashlib.sha256(signature).hexdigest()


def chain_hash(chain, beacon_id=None):
    """The chain's hash as drand computes it (hex), which names the chain in its URLs.

    SHA-256 of period (u32 big-endian seconds), genesis_time (i64 big-endian),
    the public key bytes, the group hash bytes and, unless the beacon id is
    empty or "default", the beacon id. The beacon id is taken from
    chain["metadata"]["beaconID"] when not given. Comparing this with a
    pinned hash (quicknet: 52db9ba7...e971) ties a public key to the chain.
    """
    genesis, period = _timing(chain)
    if beacon_id is None:
        beacon_id = (chain.get("metadata") or {}).get("beaconID", "")
    h = hashlib.sha256()
    h.update(struct.pack(">I", period))
    h.update(struct.pack(">q", genesis))
    h.update(_hex_bytes(chain.get("public_key"), 96, "chain public_key"))
    group_hash = chain.get("groupHash")
    if not isinstance(group_hash, str):
        raise BeaconError("chain groupHash must be a hex string")
    h.update(_hex_bytes(group_hash, len(group_hash) // 2, "chain groupHash"))
    if beacon_id not in ("", "default"):
        h.update(beacon_id.encode())
    return h.hexdigest()


def _timing(chain):
    genesis, period = chain.get("genesis_time"), chain.get("period")
    for name, value in (("genesis_time", genesis), ("period", period)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BeaconError(f"chain {name} must be an integer number of seconds")
    if period < 1:
        raise BeaconError("chain period must be at least 1 second")
    return genesis, period


def round_time(chain, round_number):
    """Unix time (seconds) at which the chain publishes round_number."""
    genesis, period = _timing(chain)
    return genesis + (_round_number(round_number) - 1) * period


def round_at(chain, unix_time):
    """The latest round published at unix_time (seconds); an error before genesis."""
    genesis, period = _timing(chain)
    if isinstance(unix_time, bool) or not isinstance(unix_time, (int, float)) or not math.isfinite(unix_time):
        raise BeaconError("time must be a finite number of seconds")
    if unix_time < genesis:
        raise BeaconError("time is before the chain's genesis")
    return int((unix_time - genesis) // period) + 1


def main(argv=None):
    """python3 drand.py CHAIN_JSON ROUND SIGNATURE_HEX: print the round's randomness, or exit 1."""
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(description="Verify one drand beacon round (scheme bls-unchained-g1-rfc9380).")
    parser.add_argument("chain", help="chain info JSON file (drand /info, or an object with a 'chain' member)")
    parser.add_argument("round", type=int)
    parser.add_argument("signature", help="the round's signature, hex")
    args = parser.parse_args(argv)
    with open(args.chain, encoding="utf-8") as handle:
        chain = json.load(handle)
    chain = chain.get("chain", chain)
    try:
        randomness = verify_beacon(chain, args.round, args.signature)
    except BeaconError as err:
        print(f"FAIL {err}", file=sys.stderr)
        return 1
    print(randomness)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
