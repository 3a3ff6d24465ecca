"""Answer BLS questions posed as JSON on stdin, for cross-checks driven from other languages.

Input:  {"verify": [{"publicKey": hex, "message": hex, "signature": hex, "dst": str}],
         "hash": [{"message": hex, "dst": str}]}
Output: {"verify": [{"valid": bool, "error": str | null}], "hash": [hex of compressed G1]}
A key or signature that is not a valid subgroup point gives valid false and the reason.
"""

import json
import sys

import support  # noqa: F401  (sets the import path)
from bls12_381 import InvalidPoint, hash_to_g1, verify


def answer_verify(case):
    try:
        valid = verify(
            bytes.fromhex(case["publicKey"]),
            bytes.fromhex(case["message"]),
            bytes.fromhex(case["signature"]),
            case["dst"].encode(),
        )
        return {"valid": valid, "error": None}
    except InvalidPoint as err:
        return {"valid": False, "error": str(err)}


def main():
    request = json.load(sys.stdin)
    response = {
        "verify": [answer_verify(case) for case in request.get("verify", [])],
        "hash": [hash_to_g1(bytes.fromhex(c["message"]), c["dst"].encode()).hex() for c in request.get("hash", [])],
    }
    json.dump(response, sys.stdout)


if __name__ == "__main__":
    main()
