"""The tower Fp6 = Fp2[v] / (v^3 - xi) and Fp12 = Fp6[w] / (w^2 - v), xi = 1 + i.

An Fp6 element is a triple (c0, c1, c2) of Fp2 elements meaning
c0 + c1*v + c2*v^2; an Fp12 element is a pair (a, b) of Fp6 elements
meaning a + b*w. Seen over Fp2, an Fp12 element has coefficients
(a0, b0, a1, b1, a2, b2) for w^0 .. w^5, since w^2 = v and w^6 = xi.
"""

from .fields import (
    FP2_ONE,
    FP2_ZERO,
    fp2_add,
    fp2_conj,
    fp2_inv,
    fp2_mul,
    fp2_mul_nr,
    fp2_neg,
    fp2_pow,
    fp2_sqr,
    fp2_sub,
)
from .params import P

# --- Fp6 ----------------------------------------------------------------

FP6_ZERO = (FP2_ZERO, FP2_ZERO, FP2_ZERO)
FP6_ONE = (FP2_ONE, FP2_ZERO, FP2_ZERO)


def fp6_add(a, b):
    return (fp2_add(a[0], b[0]), fp2_add(a[1], b[1]), fp2_add(a[2], b[2]))


def fp6_sub(a, b):
    return (fp2_sub(a[0], b[0]), fp2_sub(a[1], b[1]), fp2_sub(a[2], b[2]))


def fp6_neg(a):
    return (fp2_neg(a[0]), fp2_neg(a[1]), fp2_neg(a[2]))


def fp6_mul(a, b):
    """Karatsuba over Fp2: 6 Fp2 multiplications instead of 9."""
    a0, a1, a2 = a
    b0, b1, b2 = b
    t0 = fp2_mul(a0, b0)
    t1 = fp2_mul(a1, b1)
    t2 = fp2_mul(a2, b2)
    c0 = fp2_add(t0, fp2_mul_nr(fp2_sub(fp2_mul(fp2_add(a1, a2), fp2_add(b1, b2)), fp2_add(t1, t2))))
    c1 = fp2_add(fp2_sub(fp2_mul(fp2_add(a0, a1), fp2_add(b0, b1)), fp2_add(t0, t1)), fp2_mul_nr(t2))
    c2 = fp2_add(fp2_sub(fp2_mul(fp2_add(a0, a2), fp2_add(b0, b2)), fp2_add(t0, t2)), t1)
    return (c0, c1, c2)


def fp6_sqr(a):
    """Chung-Hasan SQR2."""
    a0, a1, a2 = a
    s0 = fp2_sqr(a0)
    ab = fp2_mul(a0, a1)
    s1 = fp2_add(ab, ab)
    s2 = fp2_sqr(fp2_add(fp2_sub(a0, a1), a2))
    bc = fp2_mul(a1, a2)
    s3 = fp2_add(bc, bc)
    s4 = fp2_sqr(a2)
    c0 = fp2_add(s0, fp2_mul_nr(s3))
    c1 = fp2_add(s1, fp2_mul_nr(s4))
    c2 = fp2_sub(fp2_add(fp2_add(s1, s2), s3), fp2_add(s0, s4))
    return (c0, c1, c2)


def fp6_mul_by_v(a):
    """Multiply by v: (c0, c1, c2) -> (xi*c2, c0, c1)."""
    return (fp2_mul_nr(a[2]), a[0], a[1])



def fp6_mul_01(a, b0, b1):
    """a * (b0 + b1*v): the shape of the w^0 half of a Miller line."""
    a0, a1, a2 = a
    t0 = fp2_mul(a0, b0)
    t1 = fp2_mul(a1, b1)
    c0 = fp2_add(t0, fp2_mul_nr(fp2_mul(a2, b1)))
    c1 = fp2_sub(fp2_mul(fp2_add(a0, a1), fp2_add(b0, b1)), fp2_add(t0, t1))
    c2 = fp2_add(fp2_mul(a2, b0), t1)
    return (c0, c1, c2)


def fp6_mul_1(a, b1):
    """a * (b1*v)."""
    a0, a1, a2 = a
    return (fp2_mul_nr(fp2_mul(a2, b1)), fp2_mul(a0, b1), fp2_mul(a1, b1))


def fp6_inv(a):
    a0, a1, a2 = a
    t0 = fp2_sub(fp2_sqr(a0), fp2_mul_nr(fp2_mul(a1, a2)))
    t1 = fp2_sub(fp2_mul_nr(fp2_sqr(a2)), fp2_mul(a0, a1))
    t2 = fp2_sub(fp2_sqr(a1), fp2_mul(a0, a2))
    norm = fp2_add(fp2_mul(a0, t0), fp2_mul_nr(fp2_add(fp2_mul(a2, t1), fp2_mul(a1, t2))))
    inv = fp2_inv(norm)
    return (fp2_mul(t0, inv), fp2_mul(t1, inv), fp2_mul(t2, inv))


# --- Fp12 ---------------------------------------------------------------

FP12_ONE = (FP6_ONE, FP6_ZERO)


def fp12_mul(a, b):
    a0, a1 = a
    b0, b1 = b
    t0 = fp6_mul(a0, b0)
    t1 = fp6_mul(a1, b1)
    c1 = fp6_sub(fp6_mul(fp6_add(a0, a1), fp6_add(b0, b1)), fp6_add(t0, t1))
    return (fp6_add(t0, fp6_mul_by_v(t1)), c1)


def fp12_sqr(a):
    """Complex squaring: (a0 + a1 w)^2 = a0^2 + v a1^2 + 2 a0 a1 w."""
    a0, a1 = a
    ab = fp6_mul(a0, a1)
    c0 = fp6_sub(
        fp6_sub(fp6_mul(fp6_add(a0, a1), fp6_add(a0, fp6_mul_by_v(a1))), ab),
        fp6_mul_by_v(ab),
    )
    return (c0, fp6_add(ab, ab))


def fp12_conj(a):
    """a^(p^6): negates the w half. The inverse of a unitary element."""
    return (a[0], fp6_neg(a[1]))


def fp12_inv(a):
    a0, a1 = a
    t = fp6_inv(fp6_sub(fp6_sqr(a0), fp6_mul_by_v(fp6_sqr(a1))))
    return (fp6_mul(a0, t), fp6_neg(fp6_mul(a1, t)))


def fp12_mul_line(f, l0, l1, l3):
    """f * (l0 + l1*w^2 + l3*w^3), the sparse shape of every Miller line.

    In the tower the line is ((l0, l1, 0), (0, l3, 0)); exploiting the zeros
    costs 13 Fp2 multiplications instead of 18.
    """
    f0, f1 = f
    t0 = fp6_mul_01(f0, l0, l1)
    t1 = fp6_mul_1(f1, l3)
    c1 = fp6_sub(fp6_mul_01(fp6_add(f0, f1), l0, fp2_add(l1, l3)), fp6_add(t0, t1))
    return (fp6_add(t0, fp6_mul_by_v(t1)), c1)


# --- Frobenius ------------------------------------------------------------


def _frobenius_coefficients(power):
    """gamma_k = xi^(k (p^power - 1) / 6) for the w^k coefficient, k = 0..5.

    Computed here rather than copied: (sum c_k w^k)^(p^n) = sum frob(c_k) w^k
    w^(k (p^n - 1)), and w^6 = xi.
    """
    exponent = (P**power - 1) // 6
    base = fp2_pow((1, 1), exponent)
    coefficients = [FP2_ONE]
    for _ in range(5):
        coefficients.append(fp2_mul(coefficients[-1], base))
    return coefficients


_FROBENIUS = {power: _frobenius_coefficients(power) for power in (1, 2, 3)}


def fp12_frobenius(a, power=1):
    """a^(p^power) for power in 1, 2, 3."""
    gamma = _FROBENIUS[power]
    (a0, a2, a4), (a1, a3, a5) = a
    coefficients = [a0, a1, a2, a3, a4, a5]
    if power % 2 == 1:
        coefficients = [fp2_conj(c) for c in coefficients]
    c = [fp2_mul(coefficients[k], gamma[k]) for k in range(6)]
    return ((c[0], c[2], c[4]), (c[1], c[3], c[5]))


# --- Cyclotomic subgroup ----------------------------------------------------


def _fp4_sqr(a, b):
    """(a + b*s)^2 in Fp4 = Fp2[s] / (s^2 - xi), returned as (real, s-part)."""
    t0 = fp2_sqr(a)
    t1 = fp2_sqr(b)
    real = fp2_add(fp2_mul_nr(t1), t0)
    s = fp2_sub(fp2_sub(fp2_sqr(fp2_add(a, b)), t0), t1)
    return real, s


def fp12_cyclotomic_sqr(f):
    """Granger-Scott squaring, valid only for f with f^(p^4 - p^2 + 1) = 1.

    Fp12 is seen as Fp4^3 with Fp4 = Fp2[w^3]; the pairs (w^0, w^3),
    (w^1, w^4) and (w^2, w^5) are each squared in Fp4 (9 Fp2 squarings
    in all instead of the 12 multiplications of a general squaring).
    """
    (c0, c1, c2), (d0, d1, d2) = f
    # Fp4 pairs: (c0, d1) = w^0 + w^3, (d0, c2) = w^1 + w^4, (c1, d2) = w^2 + w^5.
    t0, t1 = _fp4_sqr(c0, d1)
    t2, t3 = _fp4_sqr(d0, c2)
    t4, t5 = _fp4_sqr(c1, d2)

    def three_minus_two(t, c):
        # 3t - 2c
        return fp2_add(fp2_add(fp2_sub(t, c), fp2_sub(t, c)), t)

    def three_plus_two(t, c):
        # 3t + 2c
        return fp2_add(fp2_add(fp2_add(t, c), fp2_add(t, c)), t)

    # A' = 3A^2 - 2conj(A), B' = 3sC^2 + 2conj(B), C' = 3B^2 - 2conj(C),
    # with A = c0 + d1 s, B = d0 + c2 s, C = c1 + d2 s and s^2 = xi.
    n_c0 = three_minus_two(t0, c0)
    n_d1 = three_plus_two(t1, d1)
    n_d0 = three_plus_two(fp2_mul_nr(t5), d0)
    n_c2 = three_minus_two(t4, c2)
    n_c1 = three_minus_two(t2, c1)
    n_d2 = three_plus_two(t3, d2)
    return ((n_c0, n_c1, n_c2), (n_d0, n_d1, n_d2))


def fp12_cyclotomic_pow(f, exponent):
    """f^exponent for a non-negative exponent and f in the cyclotomic subgroup."""
    result = FP12_ONE
    for bit in bin(exponent)[2:]:
        result = fp12_cyclotomic_sqr(result)
        if bit == "1":
            result = fp12_mul(result, f)
    return result


def fp12_pow(f, exponent):
    result = FP12_ONE
    for bit in bin(exponent)[2:]:
        result = fp12_sqr(result)
        if bit == "1":
            result = fp12_mul(result, f)
    return result
