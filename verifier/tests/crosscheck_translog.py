"""Reads cases produced by the TypeScript log (tests/verifier/translog-python.test.ts) on stdin and prints,
as JSON, what verifier/translog.py says of each: the two implementations must agree on every case."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import translog as t  # noqa: E402

b = bytes.fromhex


def judge(case):
    kind = case["kind"]
    if kind == "inclusion":
        return t.verify_inclusion(case["index"], case["treeSize"], t.leaf_hash(case["leaf"]),
                                  [b(p) for p in case["path"]], b(case["rootHash"]))
    if kind == "consistency":
        return t.verify_consistency(case["from"], case["to"], b(case["fromRoot"]), b(case["toRoot"]),
                                    [b(p) for p in case["proof"]])
    if kind == "head":
        return t.verify_head(case["head"], b(case["publicKey"])) is None
    if kind == "leaf":
        return t.decode_leaf(case["leaf"]) is not None and t.leaf_hash(case["leaf"]).hex() == case["leafHash"]
    if kind == "draw":
        return [[name, ok] for name, ok, _ in t.check_draw(case["drawId"], case["publicKey"], case["head"],
                                                            case["leaves"], case.get("record"), case.get("saved"))]
    if kind == "audit":
        return [[name, ok] for name, ok, _ in t.audit_log(case["leaves"], case["head"])]
    raise ValueError(kind)


print(json.dumps([judge(c) for c in json.load(sys.stdin)["cases"]]))
