"""Field and tower arithmetic: identities that a wrong formula would break."""

import random
import unittest

import support  # noqa: F401  (sets the import path)
from bls.fields import fp2_inv, fp2_mul, fp2_pow, fp2_sqr, fp2_sqrt, fp_sqrt
from bls.params import P, R, X
from bls.tower import (
    FP12_ONE,
    fp6_inv,
    fp6_mul,
    fp6_sqr,
    fp12_conj,
    fp12_cyclotomic_sqr,
    fp12_frobenius,
    fp12_inv,
    fp12_mul,
    fp12_mul_line,
    fp12_pow,
    fp12_sqr,
)

rng = random.Random(21)


def fp2():
    return (rng.randrange(P), rng.randrange(P))


def fp6():
    return (fp2(), fp2(), fp2())


def fp12():
    return (fp6(), fp6())


class Parameters(unittest.TestCase):
    def test_orders_follow_from_x(self):
        # BLS12 family: r = x^4 - x^2 + 1, p = (x - 1)^2 r / 3 + x.
        self.assertEqual(R, X**4 - X**2 + 1)
        self.assertEqual(P, (X - 1) ** 2 * R // 3 + X)
        self.assertEqual((P**12 - 1) % R, 0)  # embedding degree 12

    def test_hard_part_decomposition(self):
        # 3 (p^4 - p^2 + 1) / r = (x - 1)^2 (x + p)(x^2 + p^2 - 1) + 3
        self.assertEqual(3 * (P**4 - P**2 + 1), R * ((X - 1) ** 2 * (X + P) * (X**2 + P**2 - 1) + 3))


class Fp2(unittest.TestCase):
    def test_inverse_and_square_root(self):
        for _ in range(20):
            a = fp2()
            self.assertEqual(fp2_mul(a, fp2_inv(a)), (1, 0))
            root = fp2_sqrt(fp2_sqr(a))
            self.assertIsNotNone(root)
            self.assertEqual(fp2_sqr(root), fp2_sqr(a))

    def test_non_squares_have_no_root(self):
        # xi = 1 + i is a non-square in Fp2 (it defines the cubic and sextic extensions).
        self.assertIsNone(fp2_sqrt((1, 1)))
        self.assertNotEqual(fp2_pow((1, 1), (P * P - 1) // 2), (1, 0))
        self.assertIsNone(fp_sqrt(P - 1))  # -1 is not a square since p = 3 mod 4


class Tower(unittest.TestCase):
    def test_fp6_square_and_inverse(self):
        for _ in range(5):
            a = fp6()
            self.assertEqual(fp6_sqr(a), fp6_mul(a, a))
            one = fp6_mul(a, fp6_inv(a))
            self.assertEqual(one, ((1, 0), (0, 0), (0, 0)))

    def test_fp12_square_inverse_and_sparse_line(self):
        zero = (0, 0)
        for _ in range(3):
            a = fp12()
            self.assertEqual(fp12_sqr(a), fp12_mul(a, a))
            self.assertEqual(fp12_mul(a, fp12_inv(a)), FP12_ONE)
            l0, l1, l3 = fp2(), fp2(), fp2()
            dense = ((l0, l1, zero), (zero, l3, zero))
            self.assertEqual(fp12_mul_line(a, l0, l1, l3), fp12_mul(a, dense))

    def test_frobenius_is_the_p_power(self):
        a = fp12()
        self.assertEqual(fp12_frobenius(a, 1), fp12_pow(a, P))
        self.assertEqual(fp12_frobenius(a, 2), fp12_frobenius(fp12_frobenius(a, 1), 1))
        self.assertEqual(fp12_frobenius(a, 3), fp12_frobenius(fp12_frobenius(a, 2), 1))
        self.assertEqual(fp12_conj(a), fp12_frobenius(fp12_frobenius(a, 3), 3))  # p^6

    def test_cyclotomic_square_matches_the_general_square(self):
        a = fp12()
        m = fp12_mul(fp12_conj(a), fp12_inv(a))  # a^(p^6 - 1)
        m = fp12_mul(fp12_frobenius(m, 2), m)  # ... ^(p^2 + 1): now cyclotomic
        self.assertEqual(fp12_cyclotomic_sqr(m), fp12_sqr(m))
        self.assertNotEqual(fp12_cyclotomic_sqr(a), fp12_sqr(a))  # only valid on that subgroup


if __name__ == "__main__":
    unittest.main()
