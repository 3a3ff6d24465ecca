"""Short Weierstrass curves y^2 = x^3 + b (a = 0): E over Fp (G1) and the twist E' over Fp2 (G2).

Points are kept in Jacobian coordinates (X, Y, Z) meaning (X/Z^2, Y/Z^3);
the point at infinity has Z = 0. The same formulas serve both groups; a
Curve object carries the field operations and the constant b.
"""

from .fields import (
    FP2_ONE,
    FP2_ZERO,
    fp2_add,
    fp2_inv,
    fp2_mul,
    fp2_neg,
    fp2_sqr,
    fp2_sub,
    fp_inv,
)
from .params import B1, B2, G1_GENERATOR, G2_GENERATOR, P, R


class Curve:
    def __init__(self, name, add, sub, mul, sqr, neg, inv, zero, one, b, generator):
        self.name = name
        self.add, self.sub, self.mul, self.sqr, self.neg, self.inv = add, sub, mul, sqr, neg, inv
        self.zero, self.one, self.b = zero, one, b
        self.infinity = (one, one, zero)
        self.generator = (generator[0], generator[1], one)

    # --- predicates ---------------------------------------------------------

    def is_infinity(self, pt):
        return pt[2] == self.zero

    def is_on_curve_affine(self, x, y):
        return self.sqr(y) == self.add(self.mul(self.sqr(x), x), self.b)

    def is_on_curve(self, pt):
        if self.is_infinity(pt):
            return True
        x, y = self.to_affine(pt)
        return self.is_on_curve_affine(x, y)

    def is_in_subgroup(self, pt):
        """[r]P = O: slow but plainly correct, and r is the group order by definition."""
        return self.is_infinity(self.mul_scalar(pt, R))

    def eq(self, p1, p2):
        inf1, inf2 = self.is_infinity(p1), self.is_infinity(p2)
        if inf1 or inf2:
            return inf1 and inf2
        mul, sqr = self.mul, self.sqr
        z1z1, z2z2 = sqr(p1[2]), sqr(p2[2])
        if mul(p1[0], z2z2) != mul(p2[0], z1z1):
            return False
        return mul(p1[1], mul(z2z2, p2[2])) == mul(p2[1], mul(z1z1, p1[2]))

    # --- group law ----------------------------------------------------------

    def to_affine(self, pt):
        if self.is_infinity(pt):
            raise ValueError("the point at infinity has no affine form")
        zinv = self.inv(pt[2])
        zinv2 = self.sqr(zinv)
        return (self.mul(pt[0], zinv2), self.mul(pt[1], self.mul(zinv2, zinv)))

    def neg_point(self, pt):
        return (pt[0], self.neg(pt[1]), pt[2])

    def double(self, pt):
        """dbl-2009-l (Lange's Explicit-Formulas Database, a = 0)."""
        if self.is_infinity(pt):
            return pt
        add, sub, mul, sqr = self.add, self.sub, self.mul, self.sqr
        x, y, z = pt
        a = sqr(x)
        b = sqr(y)
        c = sqr(b)
        d = sub(sub(sqr(add(x, b)), a), c)
        d = add(d, d)
        e = add(add(a, a), a)
        f = sqr(e)
        x3 = sub(f, add(d, d))
        c8 = add(c, c)
        c8 = add(c8, c8)
        c8 = add(c8, c8)
        y3 = sub(mul(e, sub(d, x3)), c8)
        yz = mul(y, z)
        return (x3, y3, add(yz, yz))

    def add_points(self, p1, p2):
        if self.is_infinity(p1):
            return p2
        if self.is_infinity(p2):
            return p1
        sub, mul, sqr = self.sub, self.mul, self.sqr
        x1, y1, z1 = p1
        x2, y2, z2 = p2
        z1z1, z2z2 = sqr(z1), sqr(z2)
        u1, u2 = mul(x1, z2z2), mul(x2, z1z1)
        s1, s2 = mul(y1, mul(z2, z2z2)), mul(y2, mul(z1, z1z1))
        h = sub(u2, u1)
        rr = sub(s2, s1)
        if h == self.zero:
            return self.double(p1) if rr == self.zero else self.infinity
        hh = sqr(h)
        hhh = mul(h, hh)
        v = mul(u1, hh)
        x3 = sub(sub(sqr(rr), hhh), self.add(v, v))
        y3 = sub(mul(rr, sub(v, x3)), mul(s1, hhh))
        z3 = mul(mul(z1, z2), h)
        return (x3, y3, z3)

    def mul_scalar(self, pt, k):
        if k < 0:
            return self.mul_scalar(self.neg_point(pt), -k)
        result = self.infinity
        for bit in bin(k)[2:]:
            result = self.double(result)
            if bit == "1":
                result = self.add_points(result, pt)
        return result

    def from_affine(self, x, y):
        return (x, y, self.one)


G1 = Curve(
    "G1",
    add=lambda a, b: (a + b) % P,
    sub=lambda a, b: (a - b) % P,
    mul=lambda a, b: a * b % P,
    sqr=lambda a: a * a % P,
    neg=lambda a: -a % P,
    inv=fp_inv,
    zero=0,
    one=1,
    b=B1,
    generator=G1_GENERATOR,
)

G2 = Curve(
    "G2",
    add=fp2_add,
    sub=fp2_sub,
    mul=fp2_mul,
    sqr=fp2_sqr,
    neg=fp2_neg,
    inv=fp2_inv,
    zero=FP2_ZERO,
    one=FP2_ONE,
    b=B2,
    generator=G2_GENERATOR,
)
