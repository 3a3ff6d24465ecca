"""Time each step of one beacon verification: python3 verifier/tests/time_bls.py [REPEATS]."""

import hashlib
import json
import sys
import time

import support
import bls12_381
from bls.encoding import decode_g1, decode_g2
from bls.hash_to_curve import hash_to_curve
from bls.pairing import final_exponentiation, miller_loop


def best_ms(action, repeats, before=None):
    best = float("inf")
    for _ in range(repeats):
        if before:
            before()
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    path = support.find_quicknet_facts()
    if path is None:
        sys.exit("drand-quicknet.json not found (set FAIRSLOT_SHARED_DIR)")
    facts = json.loads(path.read_text())
    beacon = facts["rounds"][0]
    pk = bytes.fromhex(facts["chain"]["public_key"])
    sig = bytes.fromhex(beacon["signature"])
    msg = hashlib.sha256(beacon["round"].to_bytes(8, "big")).digest()
    pk_point, sig_point = decode_g2(pk), decode_g1(sig)
    h = hash_to_curve(msg, bls12_381.DST_G1_NUL)
    f = miller_loop([(sig_point, bls12_381._NEG_G2), (h, pk_point)])
    rows = [
        ("decode public key (G2, subgroup check)", best_ms(lambda: decode_g2(pk), repeats)),
        ("decode signature (G1, subgroup check)", best_ms(lambda: decode_g1(sig), repeats)),
        ("hash to G1", best_ms(lambda: hash_to_curve(msg, bls12_381.DST_G1_NUL), repeats)),
        ("Miller loop, two pairs", best_ms(lambda: miller_loop([(sig_point, bls12_381._NEG_G2), (h, pk_point)]), repeats)),
        ("final exponentiation", best_ms(lambda: final_exponentiation(f), repeats)),
        ("verify, key already decoded", best_ms(lambda: bls12_381.verify(pk, msg, sig), repeats)),
        ("verify, new key", best_ms(lambda: bls12_381.verify(pk, msg, sig), repeats, bls12_381._decode_public_key.cache_clear)),
    ]
    print(f"Python {sys.version.split()[0]}, best of {repeats}, round {beacon['round']}")
    for name, ms in rows:
        print(f"{name:40s} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
