"""verifier/translog.py on its own: published test vectors and a from-scratch proof generator.

Run: python3 -m unittest discover -s verifier/tests
"""

import hashlib
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import translog as t  # noqa: E402

# Certificate Transparency's test leaves and the roots of the first 1..8 of them.
CT_LEAVES = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                        "606162636465666768696a6b6c6d6e6f"]]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

# RFC 8032 section 7.1, tests 1-3: public key, message, signature.
RFC8032 = [
    ("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
]


def mth(hashes):
    return t.merkle_root(hashes)


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def path(m, hashes):
    """RFC 9162 2.1.3.1, written as the RFC states it."""
    if len(hashes) == 1:
        return []
    k = split(len(hashes))
    if m < k:
        return path(m, hashes[:k]) + [mth(hashes[k:])]
    return path(m - k, hashes[k:]) + [mth(hashes[:k])]


def subproof(m, hashes, whole):
    """RFC 9162 2.1.4.1."""
    n = len(hashes)
    if m == n:
        return [] if whole else [mth(hashes)]
    k = split(n)
    if m <= k:
        return subproof(m, hashes[:k], whole) + [mth(hashes[k:])]
    return subproof(m - k, hashes[k:], False) + [mth(hashes[:k])]


HASHES = [t.leaf_hash(f"leaf {i}") for i in range(33)]


class MerkleTest(unittest.TestCase):
    def test_ct_roots(self):
        hashes = [t.leaf_hash(x) for x in CT_LEAVES]
        self.assertEqual([mth(hashes[: i + 1]).hex() for i in range(8)], CT_ROOTS)
        self.assertEqual(mth([]).hex(), hashlib.sha256(b"").hexdigest())

    def test_inclusion(self):
        for n in range(1, len(HASHES) + 1):
            root = mth(HASHES[:n])
            for m in range(n):
                p = path(m, HASHES[:n])
                self.assertTrue(t.verify_inclusion(m, n, HASHES[m], p, root), (m, n))
                if n > 1:
                    self.assertFalse(t.verify_inclusion(m, n, HASHES[(m + 1) % n], p, root))
                    self.assertFalse(t.verify_inclusion((m + 1) % n, n, HASHES[m], p, root))
                    self.assertFalse(t.verify_inclusion(m, n, HASHES[m], p[:-1], root))
                    self.assertFalse(t.verify_inclusion(m, n, HASHES[m], p[:-1] + [t.leaf_hash("x")], root))
                self.assertFalse(t.verify_inclusion(m, n, HASHES[m], p + [root], root))
            self.assertFalse(t.verify_inclusion(n, n, HASHES[0], [], root))

    def test_consistency(self):
        forged = list(HASHES)
        forged[4] = t.leaf_hash("forged")
        for n in range(1, len(HASHES) + 1):
            root_n = mth(HASHES[:n])
            for m in range(0, n + 1):
                proof = [] if m in (0, n) else subproof(m, HASHES[:n], True)
                root_m = mth(HASHES[:m])
                self.assertTrue(t.verify_consistency(m, n, root_m, root_n, proof), (m, n))
                if 4 < m < n:
                    self.assertFalse(t.verify_consistency(m, n, root_m, mth(forged[:n]), subproof(m, forged[:n], True)))
                if 0 < m < n:
                    self.assertFalse(t.verify_consistency(m, n, root_m, root_n, proof[1:]))
                    self.assertFalse(t.verify_consistency(m, n, mth(HASHES[: m - 1]), root_n, proof))
            self.assertFalse(t.verify_consistency(n, n - 1, root_n, mth(HASHES[: n - 1]), []))


class Ed25519Test(unittest.TestCase):
    def test_rfc8032_vectors(self):
        for pk, msg, sig in RFC8032:
            pk, msg, sig = bytes.fromhex(pk), bytes.fromhex(msg), bytes.fromhex(sig)
            self.assertTrue(t.ed25519_verify(pk, msg, sig))
            self.assertFalse(t.ed25519_verify(pk, msg + b"x", sig))
            for i in (0, 31, 32, 63):
                bent = bytearray(sig)
                bent[i] ^= 1
                self.assertFalse(t.ed25519_verify(pk, msg, bytes(bent)))
            # S + L is the same point equation but not a canonical signature (malleability): refused.
            s = int.from_bytes(sig[32:], "little") + t.L
            self.assertFalse(t.ed25519_verify(pk, msg, sig[:32] + s.to_bytes(32, "little")))
            self.assertFalse(t.ed25519_verify(pk[:31], msg, sig))
        other = bytes.fromhex(RFC8032[1][0])
        self.assertFalse(t.ed25519_verify(other, b"", bytes.fromhex(RFC8032[0][2])))


class LeafTest(unittest.TestCase):
    OPENED = {"type": "draw-opened", "drawId": "jakarta-selatan:2026-12-01", "at": "2026-12-01T01:00:00.000Z",
              "commitment": "a" * 64, "beaconChain": "b" * 64, "beaconRound": 123456, "specVersion": "1",
              "rulesVersion": 3}

    def test_canonical(self):
        self.assertEqual(t.canonical_json({"b": [1, "é", None], "a": {"d": True, "c": '"\n'}}),
                         '{"a":{"c":"\\"\\n","d":true},"b":[1,"é",null]}')
        self.assertRaises(ValueError, t.canonical_json, {"x": 1.5})

    def test_decode(self):
        leaf = t.canonical_json(self.OPENED)
        self.assertEqual(t.decode_leaf(leaf), self.OPENED)
        self.assertIsNone(t.decode_leaf(json.dumps(self.OPENED)))
        for bad in [{**self.OPENED, "extra": 1}, {**self.OPENED, "beaconRound": None},
                    {**self.OPENED, "commitment": "A" * 64}, {**self.OPENED, "rulesVersion": 0},
                    {**self.OPENED, "drawId": "x:2026-1-1"}, {**self.OPENED, "type": "draw-redrawn"}]:
            self.assertIsNone(t.decode_leaf(t.canonical_json(bad)), bad)


if __name__ == "__main__":
    unittest.main()
