"""Hashing to G1 per RFC 9380, suite BLS12381G1_XMD:SHA-256_SSWU_RO_ (section 8.8.1).

hash_to_curve(msg, dst) = clear_cofactor(map(u0) + map(u1)) where
(u0, u1) = hash_to_field(msg, 2) and map is the simplified SWU map onto
the 11-isogenous curve E' followed by the 11-isogeny E' -> E.
"""

import hashlib

from .curve import G1
from .fields import fp_inv, fp_is_square, fp_sgn0, fp_sqrt
from .isogeny_g1 import iso_map
from .params import P

# Suite constants (RFC 9380 section 8.8.1).
_L = 64  # ceil((ceil(log2(p)) + k) / 8) with k = 128
_H_EFF = 0xD201000000010001
# E': y^2 = x^3 + A'x + B' (RFC 9380 section 8.8.1) and Z = 11.
SSWU_A = 0x144698A3B8E9433D693A02C96D4982B0EA985383EE66A8D8E8981AEFD881AC98936F8DA0E0F97F5CF428082D584C1D
SSWU_B = 0x12E2908D11688030018B12E8753EEE3B2016C1F0F24F4070A0B9C14FCEF35EF55A23215A316CEAA5D1CC48E98E172BE0
SSWU_Z = 11


def expand_message_xmd(msg, dst, len_in_bytes):
    """RFC 9380 section 5.3.1 with H = SHA-256 (b_in_bytes 32, s_in_bytes 64)."""
    if len(dst) > 255:
        raise ValueError("DST longer than 255 bytes must be hashed first (RFC 9380 5.3.3)")
    ell = -(-len_in_bytes // 32)
    if ell > 255 or len_in_bytes > 65535:
        raise ValueError("requested too many bytes from expand_message_xmd")
    dst_prime = dst + bytes([len(dst)])
    msg_prime = bytes(64) + msg + len_in_bytes.to_bytes(2, "big") + b"\x00" + dst_prime
    b0 = hashlib.sha256(msg_prime).digest()
    blocks = [hashlib.sha256(b0 + b"\x01" + dst_prime).digest()]
    for i in range(2, ell + 1):
        mixed = bytes(x ^ y for x, y in zip(b0, blocks[-1]))
        blocks.append(hashlib.sha256(mixed + bytes([i]) + dst_prime).digest())
    return b"".join(blocks)[:len_in_bytes]


def hash_to_field(msg, dst, count=2):
    """RFC 9380 section 5.2 for Fp (m = 1): count elements of Fp."""
    uniform = expand_message_xmd(msg, dst, count * _L)
    return [int.from_bytes(uniform[i * _L : (i + 1) * _L], "big") % P for i in range(count)]


def map_to_curve_simple_swu(u):
    """RFC 9380 section 6.6.2, onto E'. Variable time: the inputs are public."""
    a, b, z = SSWU_A, SSWU_B, SSWU_Z
    zu2 = z * u * u % P
    denominator = (zu2 * zu2 + zu2) % P  # Z^2 u^4 + Z u^2
    if denominator == 0:
        x1 = b * fp_inv(z * a) % P
    else:
        x1 = (-b * fp_inv(a) % P) * (1 + fp_inv(denominator)) % P
    gx1 = (x1 * x1 * x1 + a * x1 + b) % P
    if fp_is_square(gx1):
        x, y = x1, fp_sqrt(gx1)
    else:
        x = zu2 * x1 % P
        y = fp_sqrt((x * x * x + a * x + b) % P)
    if fp_sgn0(u) != fp_sgn0(y):
        y = -y % P
    return x, y


def map_to_curve(u):
    """A point of E(Fp), not yet in G1, in Jacobian coordinates."""
    return iso_map(*map_to_curve_simple_swu(u))


def clear_cofactor(point):
    """Multiplication by h_eff = 1 - x (RFC 9380 section 8.8.1)."""
    return G1.mul_scalar(point, _H_EFF)


def hash_to_curve(msg, dst):
    """The G1 point (affine) for msg under the domain separation tag dst."""
    u0, u1 = hash_to_field(msg, dst, 2)
    q = G1.add_points(map_to_curve(u0), map_to_curve(u1))
    return G1.to_affine(clear_cofactor(q))
