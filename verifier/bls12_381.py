"""BLS signatures on BLS12-381 with signatures in G1 and public keys in G2.

This is the "minimal-signature-size" variant used by drand's quicknet
(scheme bls-unchained-g1-rfc9380): signature = sk * H(msg) in G1 (48 bytes
compressed), public key = sk * g2 in G2 (96 bytes compressed), H = RFC 9380
hash_to_curve with suite BLS12381G1_XMD:SHA-256_SSWU_RO_.

Standard library only; run with the verifier/ directory on sys.path.

    >>> verify(public_key_bytes, message, signature_bytes, DST_G1_NUL)
    True
"""

from functools import lru_cache

from bls.curve import G2
from bls.encoding import InvalidPoint, decode_g1, decode_g2, encode_g1
from bls.hash_to_curve import hash_to_curve
from bls.pairing import pairing_product_is_one

__all__ = ["DST_G1_NUL", "InvalidPoint", "hash_to_g1", "verify"]

# The DST drand uses for G1 signatures (proof-of-possession suite tag "NUL").
DST_G1_NUL = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"

_NEG_G2 = G2.to_affine(G2.neg_point(G2.generator))

# A chain's key is checked for every round; its subgroup check is the costliest decode.
_decode_public_key = lru_cache(maxsize=16)(decode_g2)


def hash_to_g1(message: bytes, dst: bytes) -> bytes:
    """RFC 9380 hash_to_curve onto G1, compressed (48 bytes)."""
    return encode_g1(hash_to_curve(bytes(message), bytes(dst)))


def verify(public_key: bytes, message: bytes, signature: bytes, dst: bytes = DST_G1_NUL) -> bool:
    """True when signature is a valid signature of message under public_key.

    Raises InvalidPoint (a ValueError) when the key or the signature is not
    the compressed encoding of a point of the prime-order subgroup (wrong
    length, flags, not on the curve, not in the subgroup, or infinity).
    Otherwise checks e(signature, g2) == e(H(message), public_key) as
    e(signature, -g2) * e(H(message), public_key) == 1.
    """
    pk = _decode_public_key(bytes(public_key))
    sig = decode_g1(bytes(signature))
    h = hash_to_curve(bytes(message), bytes(dst))
    return pairing_product_is_one([(sig, _NEG_G2), (h, pk)])
