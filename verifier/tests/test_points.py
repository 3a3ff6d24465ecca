"""Curve arithmetic and the compressed encodings: every malformed key or signature is refused."""

import random
import unittest

import support  # noqa: F401  (sets the import path)
from bls.curve import G1, G2
from bls.encoding import InvalidPoint, decode_g1, decode_g2, encode_g1, encode_g2
from bls.fields import fp2_add, fp2_mul, fp2_sqr, fp2_sqrt, fp_sqrt
from bls.params import B1, B2, P, R

rng = random.Random(2381)


def off_subgroup_g1():
    """A point of E(Fp) outside G1: any curve point, since the cofactor is large."""
    while True:
        x = rng.randrange(P)
        y = fp_sqrt(x**3 + B1)
        if y is not None:
            return (x, y)


def off_curve_x_g1():
    while True:
        x = rng.randrange(P)
        if fp_sqrt(x**3 + B1) is None:
            return x


def off_subgroup_g2():
    while True:
        x = (rng.randrange(P), rng.randrange(P))
        y = fp2_sqrt(fp2_add(fp2_mul(fp2_sqr(x), x), B2))
        if y is not None:
            return (x, y)


def off_curve_x_g2():
    while True:
        x = (rng.randrange(P), rng.randrange(P))
        if fp2_sqrt(fp2_add(fp2_mul(fp2_sqr(x), x), B2)) is None:
            return x


def raw_g1(x, larger=False):
    out = bytearray(x.to_bytes(48, "big"))
    out[0] |= 0x80 | (0x20 if larger else 0)
    return bytes(out)


def raw_g2(x):
    out = bytearray(x[1].to_bytes(48, "big") + x[0].to_bytes(48, "big"))
    out[0] |= 0x80
    return bytes(out)


class Groups(unittest.TestCase):
    def test_generators_are_on_the_curves_and_have_order_r(self):
        for curve in (G1, G2):
            with self.subTest(curve.name):
                self.assertTrue(curve.is_on_curve(curve.generator))
                self.assertFalse(curve.is_infinity(curve.generator))
                self.assertTrue(curve.is_in_subgroup(curve.generator))

    def test_group_law(self):
        for curve in (G1, G2):
            g = curve.generator
            a, b = rng.randrange(R), rng.randrange(R)
            with self.subTest(curve.name):
                lhs = curve.add_points(curve.mul_scalar(g, a), curve.mul_scalar(g, b))
                self.assertTrue(curve.eq(lhs, curve.mul_scalar(g, (a + b) % R)))
                self.assertTrue(curve.eq(curve.double(g), curve.add_points(g, g)))
                self.assertTrue(curve.is_infinity(curve.add_points(g, curve.neg_point(g))))
                self.assertTrue(curve.eq(curve.mul_scalar(g, -a), curve.neg_point(curve.mul_scalar(g, a))))


class Encoding(unittest.TestCase):
    def test_round_trip(self):
        for _ in range(3):
            k = rng.randrange(1, R)
            p1 = G1.to_affine(G1.mul_scalar(G1.generator, k))
            p2 = G2.to_affine(G2.mul_scalar(G2.generator, k))
            self.assertEqual(decode_g1(encode_g1(p1)), p1)
            self.assertEqual(decode_g2(encode_g2(p2)), p2)
            # The sign flag selects the other root: -P.
            flipped = bytearray(encode_g1(p1))
            flipped[0] ^= 0x20
            self.assertEqual(decode_g1(bytes(flipped)), G1.to_affine(G1.neg_point(G1.from_affine(*p1))))

    def test_known_generator_encoding(self):
        self.assertEqual(
            encode_g1(G1.to_affine(G1.generator)).hex(),
            "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
        )

    def test_wrong_lengths(self):
        good1 = encode_g1(G1.to_affine(G1.generator))
        good2 = encode_g2(G2.to_affine(G2.generator))
        for data in (good1[:-1], good1 + b"\x00", b"", good2):
            with self.subTest(length=len(data)), self.assertRaisesRegex(InvalidPoint, "expected 48 bytes"):
                decode_g1(data)
        for data in (good2[:-1], good2 + b"\x00", good1):
            with self.subTest(length=len(data)), self.assertRaisesRegex(InvalidPoint, "expected 96 bytes"):
                decode_g2(data)

    def test_flags(self):
        good1 = bytearray(encode_g1(G1.to_affine(G1.generator)))
        uncompressed = bytes([good1[0] & 0x7F]) + bytes(good1[1:])
        with self.assertRaisesRegex(InvalidPoint, "uncompressed"):
            decode_g1(uncompressed)
        with self.assertRaisesRegex(InvalidPoint, "infinity"):
            decode_g1(bytes([0xC0]) + bytes(47))
        with self.assertRaisesRegex(InvalidPoint, "infinity"):
            decode_g2(bytes([0xC0]) + bytes(95))

    def test_coordinate_not_below_p(self):
        with self.assertRaisesRegex(InvalidPoint, "field modulus"):
            decode_g1(raw_g1(P))
        with self.assertRaisesRegex(InvalidPoint, "field modulus"):
            decode_g2(raw_g2((0, P + 1)))

    def test_not_on_curve(self):
        with self.assertRaisesRegex(InvalidPoint, "not the abscissa"):
            decode_g1(raw_g1(off_curve_x_g1()))
        with self.assertRaisesRegex(InvalidPoint, "not the abscissa"):
            decode_g2(raw_g2(off_curve_x_g2()))

    def test_not_in_subgroup(self):
        p1 = off_subgroup_g1()
        self.assertTrue(G1.is_on_curve_affine(*p1))
        self.assertFalse(G1.is_in_subgroup(G1.from_affine(*p1)))
        with self.assertRaisesRegex(InvalidPoint, "subgroup"):
            decode_g1(encode_g1(p1))
        p2 = off_subgroup_g2()
        self.assertTrue(G2.is_on_curve_affine(*p2))
        with self.assertRaisesRegex(InvalidPoint, "subgroup"):
            decode_g2(encode_g2(p2))


if __name__ == "__main__":
    unittest.main()
