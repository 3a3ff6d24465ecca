"""Pure-Python BLS12-381 (standard library only), for verifying drand beacons.

Modules, from the bottom up: params (curve constants), fields (Fp, Fp2),
tower (Fp6, Fp12), curve (G1, G2 group law), encoding (compressed points),
isogeny_g1 and hash_to_curve (RFC 9380), pairing (optimal ate).
Nothing here is constant-time: it only ever handles public data.
"""
