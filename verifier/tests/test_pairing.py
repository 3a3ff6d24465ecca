"""The pairing is bilinear and non-degenerate; BLS signatures made here verify, others do not."""

import random
import unittest

import support  # noqa: F401  (sets the import path)
from bls.curve import G1, G2
from bls.encoding import InvalidPoint, encode_g1, encode_g2
from bls.hash_to_curve import hash_to_curve
from bls.pairing import pairing, pairing_product_is_one
from bls.params import R
from bls.tower import FP12_ONE, fp12_mul, fp12_pow
from bls12_381 import DST_G1_NUL, verify

rng = random.Random(12381)


def g1(k):
    return G1.to_affine(G1.mul_scalar(G1.generator, k))


def g2(k):
    return G2.to_affine(G2.mul_scalar(G2.generator, k))


class Pairing(unittest.TestCase):
    def test_bilinear_and_non_degenerate(self):
        a, b = rng.randrange(1, R), rng.randrange(1, R)
        base = pairing(g1(1), g2(1))
        self.assertNotEqual(base, FP12_ONE)
        self.assertEqual(fp12_pow(base, R), FP12_ONE)
        self.assertEqual(pairing(g1(a), g2(b)), fp12_pow(base, a * b % R))
        self.assertEqual(pairing(g1(a), g2(1)), pairing(g1(1), g2(a)))

    def test_product_of_pairings(self):
        a, b = rng.randrange(1, R), rng.randrange(1, R)
        self.assertEqual(
            fp12_mul(pairing(g1(a), g2(1)), pairing(g1(b), g2(1))),
            pairing(g1((a + b) % R), g2(1)),
        )
        self.assertTrue(pairing_product_is_one([(g1(a), g2(b)), (g1(R - a), g2(b))]))
        self.assertFalse(pairing_product_is_one([(g1(a), g2(b)), (g1(R - a), g2(b + 1))]))


class Signatures(unittest.TestCase):
    def setUp(self):
        self.sk = rng.randrange(1, R)
        self.pk = encode_g2(g2(self.sk))

    def sign(self, message, sk=None, dst=DST_G1_NUL):
        h = G1.from_affine(*hash_to_curve(message, dst))
        return encode_g1(G1.to_affine(G1.mul_scalar(h, self.sk if sk is None else sk)))

    def test_own_signatures_verify(self):
        for message in (b"", b"fairslot draw", bytes(range(32))):
            with self.subTest(message=message):
                self.assertTrue(verify(self.pk, message, self.sign(message)))

    def test_wrong_message_key_or_dst_fails(self):
        sig = self.sign(b"message")
        self.assertFalse(verify(self.pk, b"messagf", sig))
        self.assertFalse(verify(encode_g2(g2(self.sk + 1)), b"message", sig))
        self.assertFalse(verify(self.pk, b"message", sig, b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_"))
        self.assertFalse(verify(self.pk, b"message", self.sign(b"message", sk=self.sk + 1)))

    def test_identity_key_and_signature_are_refused(self):
        # With pk = O and sig = O the pairing equation holds for every message.
        with self.assertRaises(InvalidPoint):
            verify(bytes([0xC0]) + bytes(95), b"any", bytes([0xC0]) + bytes(47))


if __name__ == "__main__":
    unittest.main()
