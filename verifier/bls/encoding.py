"""Compressed point encodings (the Zcash / IETF BLS format used by drand).

The top three bits of the first byte are flags: 0x80 compressed (must be
set), 0x40 point at infinity, 0x20 "y is the larger of the two roots".
G1: 48 bytes holding x. G2: 96 bytes holding x.c1 then x.c0.

Decoding checks the length, the flags, x < p, that x is on the curve and
that the point lies in the prime-order subgroup, and refuses the point at
infinity, which is never a valid key or signature here.
"""

from .curve import G1, G2
from .fields import fp2_neg, fp2_sqrt, fp_sqrt
from .params import B1, B2, P

_HALF_P = (P - 1) // 2
_C_FLAG, _I_FLAG, _S_FLAG = 0x80, 0x40, 0x20


class InvalidPoint(ValueError):
    """Bytes that are not the encoding of a usable group element."""


def _fp_is_larger(y):
    return y > _HALF_P


def _fp2_is_larger(y):
    return _fp_is_larger(y[1]) if y[1] != 0 else _fp_is_larger(y[0])


def _split_flags(data, length, group):
    if not isinstance(data, (bytes, bytearray)):
        raise InvalidPoint(f"{group}: expected bytes")
    if len(data) != length:
        raise InvalidPoint(f"{group}: expected {length} bytes, got {len(data)}")
    flags = data[0] & 0xE0
    if not flags & _C_FLAG:
        raise InvalidPoint(f"{group}: uncompressed encodings are not accepted")
    if flags & _I_FLAG:
        raise InvalidPoint(f"{group}: the point at infinity is not a valid key or signature")
    body = bytes([data[0] & 0x1F]) + bytes(data[1:])
    return bool(flags & _S_FLAG), body


def _field_element(chunk, group):
    value = int.from_bytes(chunk, "big")
    if value >= P:
        raise InvalidPoint(f"{group}: coordinate is not below the field modulus")
    return value


def decode_g1(data):
    """48 bytes -> affine (x, y) in the order-r subgroup of E(Fp)."""
    larger, body = _split_flags(data, 48, "G1")
    x = _field_element(body, "G1")
    y = fp_sqrt(x * x * x + B1)
    if y is None:
        raise InvalidPoint("G1: x is not the abscissa of a curve point")
    if _fp_is_larger(y) != larger:
        y = -y % P
    point = G1.from_affine(x, y)
    if not G1.is_in_subgroup(point):
        raise InvalidPoint("G1: point is not in the prime-order subgroup")
    return (x, y)


def decode_g2(data):
    """96 bytes -> affine (x, y) in the order-r subgroup of E'(Fp2)."""
    larger, body = _split_flags(data, 96, "G2")
    x = (_field_element(body[48:], "G2"), _field_element(body[:48], "G2"))
    x3 = G2.mul(G2.sqr(x), x)
    y = fp2_sqrt(G2.add(x3, B2))
    if y is None:
        raise InvalidPoint("G2: x is not the abscissa of a curve point")
    if _fp2_is_larger(y) != larger:
        y = fp2_neg(y)
    point = G2.from_affine(x, y)
    if not G2.is_in_subgroup(point):
        raise InvalidPoint("G2: point is not in the prime-order subgroup")
    return (x, y)


def encode_g1(point):
    """Affine (x, y) -> 48 compressed bytes (used by tests and tools)."""
    x, y = point
    out = bytearray(x.to_bytes(48, "big"))
    out[0] |= _C_FLAG | (_S_FLAG if _fp_is_larger(y) else 0)
    return bytes(out)


def encode_g2(point):
    """Affine (x, y) over Fp2 -> 96 compressed bytes."""
    x, y = point
    out = bytearray(x[1].to_bytes(48, "big") + x[0].to_bytes(48, "big"))
    out[0] |= _C_FLAG | (_S_FLAG if _fp2_is_larger(y) else 0)
    return bytes(out)
