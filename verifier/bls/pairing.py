"""The optimal ate pairing on BLS12-381: Miller loop and final exponentiation.

The twist is of M type: psi(x', y') = (x' / w^2, y' / w^3) sends E'(Fp2)
to E(Fp12). A tangent or chord at T = psi(T') with slope lambda' / w,
evaluated at P = (xp, yp) and multiplied by w^3 (an element of the
subfield Fp4, removed by the final exponentiation), is

    (lambda' x_T' - y_T') - lambda' xp * w^2 + yp * w^3,

so each line is the sparse Fp12 element ((l0, l1, 0), (0, l3, 0)). In
Jacobian coordinates every line is also scaled by a factor in Fp2, which
the final exponentiation removes as well.
"""

from .fields import fp2_add, fp2_mul, fp2_mul_fp, fp2_neg, fp2_sqr, fp2_sub
from .params import P, X, X_ABS
from .tower import (
    FP12_ONE,
    fp12_conj,
    fp12_cyclotomic_pow,
    fp12_cyclotomic_sqr,
    fp12_frobenius,
    fp12_inv,
    fp12_mul,
    fp12_mul_line,
    fp12_sqr,
)

_LOOP_BITS = bin(X_ABS)[3:]  # the Miller loop skips the leading 1


def _double_step(t, xp, yp):
    """T <- 2T (dbl-2009-l) and the tangent line at T evaluated at P."""
    x, y, z = t
    a = fp2_sqr(x)
    b = fp2_sqr(y)
    c = fp2_sqr(b)
    d = fp2_sub(fp2_sub(fp2_sqr(fp2_add(x, b)), a), c)
    d = fp2_add(d, d)
    e = fp2_add(fp2_add(a, a), a)
    zz = fp2_sqr(z)
    x3 = fp2_sub(fp2_sqr(e), fp2_add(d, d))
    c8 = fp2_add(c, c)
    c8 = fp2_add(c8, c8)
    c8 = fp2_add(c8, c8)
    y3 = fp2_sub(fp2_mul(e, fp2_sub(d, x3)), c8)
    yz = fp2_mul(y, z)
    z3 = fp2_add(yz, yz)
    # Line scaled by 2 Y Z^3: 3X^3 - 2Y^2, -3X^2 Z^2 xp, 2Y Z^3 yp.
    l0 = fp2_sub(fp2_mul(e, x), fp2_add(b, b))
    l1 = fp2_mul_fp(fp2_neg(fp2_mul(e, zz)), xp)
    l3 = fp2_mul_fp(fp2_mul(z3, zz), yp)
    return (x3, y3, z3), (l0, l1, l3)


def _add_step(t, q, xp, yp):
    """T <- T + Q (Q affine) and the chord through T and Q evaluated at P."""
    x, y, z = t
    xq, yq = q
    zz = fp2_sqr(z)
    h = fp2_sub(fp2_mul(xq, zz), x)
    theta = fp2_sub(fp2_mul(yq, fp2_mul(z, zz)), y)
    hh = fp2_sqr(h)
    hhh = fp2_mul(h, hh)
    v = fp2_mul(x, hh)
    x3 = fp2_sub(fp2_sub(fp2_sqr(theta), hhh), fp2_add(v, v))
    y3 = fp2_sub(fp2_mul(theta, fp2_sub(v, x3)), fp2_mul(y, hhh))
    z3 = fp2_mul(z, h)
    # Line scaled by Z H: theta xq - yq Z H, -theta xp, Z H yp.
    l0 = fp2_sub(fp2_mul(theta, xq), fp2_mul(yq, z3))
    l1 = fp2_mul_fp(fp2_neg(theta), xp)
    l3 = fp2_mul_fp(z3, yp)
    return (x3, y3, z3), (l0, l1, l3)


def miller_loop(pairs):
    """Product of f_{x,Q}(P) over pairs of affine P in G1 and affine Q in G2.

    All pairs share one accumulator, so the Fp12 squarings are paid once.
    """
    points = [((q[0], q[1], (1, 0)), q, p[0] % P, p[1] % P) for p, q in pairs]
    ts = [entry[0] for entry in points]
    f = FP12_ONE
    for bit in _LOOP_BITS:
        f = fp12_sqr(f)
        for i, (_, _, xp, yp) in enumerate(points):
            ts[i], line = _double_step(ts[i], xp, yp)
            f = fp12_mul_line(f, *line)
        if bit == "1":
            for i, (_, q, xp, yp) in enumerate(points):
                ts[i], line = _add_step(ts[i], q, xp, yp)
                f = fp12_mul_line(f, *line)
    # x < 0: f_{x,Q} = 1 / f_{|x|,Q}, and after the final exponentiation
    # the inverse of a unitary element is its conjugate.
    return fp12_conj(f) if X < 0 else f


def _pow_x(a):
    """a^x for a in the cyclotomic subgroup (x is negative: conjugate)."""
    result = fp12_cyclotomic_pow(a, X_ABS)
    return fp12_conj(result) if X < 0 else result


def final_exponentiation(f):
    """f^(3 (p^12 - 1) / r).

    Easy part: (p^6 - 1)(p^2 + 1). Hard part: 3 (p^4 - p^2 + 1) / r =
    (x - 1)^2 (x + p)(x^2 + p^2 - 1) + 3 (Hayashida, Hayasaka, Teruya 2020);
    the factor 3 is coprime to r, so the result is still a non-degenerate
    bilinear pairing and is 1 exactly when f^((p^12 - 1) / r) is 1.
    """
    m = fp12_mul(fp12_conj(f), fp12_inv(f))
    m = fp12_mul(fp12_frobenius(m, 2), m)
    # From here on m is in the cyclotomic subgroup: inverse = conjugate.
    t = fp12_mul(_pow_x(m), fp12_conj(m))  # m^(x-1)
    t = fp12_mul(_pow_x(t), fp12_conj(t))  # m^((x-1)^2)
    t = fp12_mul(_pow_x(t), fp12_frobenius(t, 1))  # ^(x+p)
    t = fp12_mul(fp12_mul(_pow_x(_pow_x(t)), fp12_frobenius(t, 2)), fp12_conj(t))  # ^(x^2+p^2-1)
    return fp12_mul(t, fp12_mul(fp12_cyclotomic_sqr(m), m))


def pairing(p, q):
    """e(P, Q) for affine P in G1, Q in G2 (to the fixed power 3, see above)."""
    return final_exponentiation(miller_loop([(p, q)]))


def pairing_product_is_one(pairs):
    """True when the product of e(P_i, Q_i) is 1: one Miller loop, one final exponentiation."""
    return final_exponentiation(miller_loop(pairs)) == FP12_ONE
