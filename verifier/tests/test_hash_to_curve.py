"""hash_to_curve against RFC 9380's own test vectors (appendices K.1 and J.9.1)."""

import json
import unittest
from pathlib import Path

import support  # noqa: F401  (sets the import path)
from bls.curve import G1
from bls.hash_to_curve import (
    SSWU_A,
    SSWU_B,
    expand_message_xmd,
    hash_to_curve,
    map_to_curve_simple_swu,
)
from bls.params import P

VECTORS = json.loads((Path(__file__).parent / "vectors" / "rfc9380.json").read_text())


class ExpandMessageXmd(unittest.TestCase):
    def test_rfc9380_k1_vectors(self):
        suite = VECTORS["expand_message_xmd"]
        dst = suite["dst"].encode()
        for vector in suite["vectors"]:
            with self.subTest(msg=vector["msg"][:12], length=vector["len_in_bytes"]):
                out = expand_message_xmd(vector["msg"].encode(), dst, vector["len_in_bytes"])
                self.assertEqual(out.hex(), vector["uniform_bytes"])

    def test_refuses_oversized_requests(self):
        with self.assertRaises(ValueError):
            expand_message_xmd(b"", b"d" * 256, 32)
        with self.assertRaises(ValueError):
            expand_message_xmd(b"", b"dst", 256 * 32)


class HashToCurveG1(unittest.TestCase):
    def test_rfc9380_j91_vectors(self):
        suite = VECTORS["hash_to_curve_g1"]
        dst = suite["dst"].encode()
        for vector in suite["vectors"]:
            with self.subTest(msg=vector["msg"][:12]):
                x, y = hash_to_curve(vector["msg"].encode(), dst)
                self.assertEqual((x, y), (int(vector["P"]["x"], 16), int(vector["P"]["y"], 16)))

    def test_output_is_in_g1(self):
        point = hash_to_curve(b"fairslot", b"TEST-DST")
        self.assertTrue(G1.is_on_curve_affine(*point))
        self.assertTrue(G1.is_in_subgroup(G1.from_affine(*point)))

    def test_domain_separation_changes_the_point(self):
        self.assertNotEqual(hash_to_curve(b"msg", b"DST-A"), hash_to_curve(b"msg", b"DST-B"))

    def test_sswu_lands_on_the_isogenous_curve_including_the_exceptional_input(self):
        for u in (0, 1, 7, P - 1, 0x1234567890ABCDEF):
            with self.subTest(u=u):
                x, y = map_to_curve_simple_swu(u)
                self.assertEqual(y * y % P, (x * x * x + SSWU_A * x + SSWU_B) % P)
                self.assertEqual(y % 2, u % 2)  # sgn0(y) == sgn0(u)


if __name__ == "__main__":
    unittest.main()
