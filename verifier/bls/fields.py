"""The base field Fp and its quadratic extension Fp2 = Fp[i] / (i^2 + 1).

Elements of Fp are Python ints in [0, p); elements of Fp2 are pairs
(c0, c1) meaning c0 + c1*i. Plain functions on ints and tuples are used
instead of classes with operator overloading because CPython spends most
of a pairing in call and allocation overhead, not in the big-int arithmetic.
"""

from .params import P

# --- Fp -----------------------------------------------------------------

_SQRT_EXP = (P + 1) // 4  # p = 3 (mod 4), so a^((p+1)/4) is a root when one exists
_LEGENDRE_EXP = (P - 1) // 2


def fp_inv(a):
    if a % P == 0:
        raise ZeroDivisionError("inverse of zero in Fp")
    return pow(a, -1, P)


def fp_is_square(a):
    a %= P
    return a == 0 or pow(a, _LEGENDRE_EXP, P) == 1


def fp_sqrt(a):
    """A square root of a, or None when a is not a square."""
    a %= P
    root = pow(a, _SQRT_EXP, P)
    return root if root * root % P == a else None


def fp_sgn0(a):
    """sgn0 of RFC 9380 section 4.1 for m = 1: the parity of a."""
    return a % P & 1


# --- Fp2 ----------------------------------------------------------------

FP2_ZERO = (0, 0)
FP2_ONE = (1, 0)


def fp2_add(a, b):
    return ((a[0] + b[0]) % P, (a[1] + b[1]) % P)


def fp2_sub(a, b):
    return ((a[0] - b[0]) % P, (a[1] - b[1]) % P)


def fp2_neg(a):
    return (-a[0] % P, -a[1] % P)


def fp2_mul(a, b):
    a0, a1 = a
    b0, b1 = b
    t0 = a0 * b0
    t1 = a1 * b1
    return ((t0 - t1) % P, ((a0 + a1) * (b0 + b1) - t0 - t1) % P)


def fp2_sqr(a):
    a0, a1 = a
    return ((a0 + a1) * (a0 - a1) % P, 2 * a0 * a1 % P)


def fp2_mul_fp(a, k):
    return (a[0] * k % P, a[1] * k % P)


def fp2_mul_nr(a):
    """Multiply by the non-residue xi = 1 + i that defines Fp6."""
    a0, a1 = a
    return ((a0 - a1) % P, (a0 + a1) % P)


def fp2_conj(a):
    return (a[0], -a[1] % P)


def fp2_inv(a):
    a0, a1 = a
    norm = (a0 * a0 + a1 * a1) % P
    inv = fp_inv(norm)
    return (a0 * inv % P, -a1 * inv % P)


def fp2_pow(a, e):
    result = FP2_ONE
    for bit in bin(e)[2:]:
        result = fp2_sqr(result)
        if bit == "1":
            result = fp2_mul(result, a)
    return result



def fp2_sqrt(a):
    """A square root of a in Fp2, or None when a is not a square.

    Uses the norm: if a = (x + y*i)^2 then x^2 = (a0 + sqrt(a0^2 + a1^2)) / 2
    for one of the two roots of the norm.
    """
    a0, a1 = a[0] % P, a[1] % P
    if a1 == 0:
        root = fp_sqrt(a0)
        if root is not None:
            return (root, 0)
        root = fp_sqrt(-a0)
        return None if root is None else (0, root)
    norm_root = fp_sqrt(a0 * a0 + a1 * a1)
    if norm_root is None:
        return None
    half = fp_inv(2)
    x0 = fp_sqrt((a0 + norm_root) * half)
    if x0 is None:
        x0 = fp_sqrt((a0 - norm_root) * half)
        if x0 is None:
            return None
    x1 = a1 * fp_inv(2 * x0) % P
    candidate = (x0, x1)
    return candidate if fp2_sqr(candidate) == (a0, a1) else None
