#!/usr/bin/env python3
"""fairslot transparency log, verified independently (Python 3, standard library only).

Implements docs/transparency-log.md: canonical JSON leaves, RFC 9162 Merkle hashing, inclusion and
consistency proofs, and the Ed25519 (RFC 8032) signature of the tree head. Shares no code with the server.

    python3 verifier/translog.py --url http://127.0.0.1:3000 jakarta-selatan:2026-12-01 \
        [--record draw.json] [--since-head head.json] [--save-head head.json] [--audit]

prints one line per check and exits 0 when all pass, 1 when one fails, 2 when the server cannot be read.
"""

import argparse
import hashlib
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

# --- Leaves -------------------------------------------------------------------------------------

HEX64 = re.compile(r"^[0-9a-f]{64}$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
DRAW_ID = re.compile(r"^[a-z0-9][a-z0-9-]*:\d{4}-\d{2}-\d{2}$")
SPEC = re.compile(r"^[\w.-]{1,32}$", re.ASCII)
MAX_SAFE = 2**53 - 1


def canonical_json(value):
    """Sorted keys, no whitespace, UTF-8; integers only (a float's text differs between languages)."""
    if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE):
        raise ValueError("canonical JSON takes safe integers only")
    if isinstance(value, dict):
        return "{" + ",".join(canonical_json(k) + ":" + canonical_json(value[k]) for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _int(v, low=0):
    return isinstance(v, int) and not isinstance(v, bool) and low <= v <= MAX_SAFE


def _hex(v, nullable=False):
    return (nullable and v is None) or (isinstance(v, str) and HEX64.match(v) is not None)


FIELDS = {
    "draw-opened": {
        "commitment": _hex,
        "beaconChain": lambda v: _hex(v, True),
        "beaconRound": lambda v: v is None or _int(v, 1),
        "specVersion": lambda v: isinstance(v, str) and SPEC.match(v) is not None,
        "rulesVersion": lambda v: _int(v, 1),
    },
    "draw-closed": {"entries": _int, "entriesDigest": _hex},
    "draw-drawn": {
        "seed": _hex,
        "beaconRandomness": lambda v: _hex(v, True),
        "resultsDigest": _hex,
        "winners": _int,
        "waitlisted": _int,
    },
}


def decode_leaf(leaf):
    """The event a leaf holds, if it is one known event, byte for byte in canonical form; else None."""
    try:
        event = json.loads(leaf)
    except ValueError:
        return None
    if not isinstance(event, dict) or event.get("type") not in FIELDS:
        return None
    fields = FIELDS[event["type"]]
    if set(event) != {"type", "drawId", "at", *fields}:
        return None
    if not (isinstance(event["drawId"], str) and len(event["drawId"]) <= 60 and DRAW_ID.match(event["drawId"])):
        return None
    if not (isinstance(event["at"], str) and INSTANT.match(event["at"])):
        return None
    if not all(check(event[name]) for name, check in fields.items()):
        return None
    if event["type"] == "draw-opened" and (event["beaconChain"] is None) != (event["beaconRound"] is None):
        return None
    try:
        return event if canonical_json(event) == leaf else None
    except ValueError:
        return None


# --- Merkle tree (RFC 9162 section 2.1) -----------------------------------------------------------

def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(leaf):
    return sha256(b"\x00" + (leaf.encode("utf-8") if isinstance(leaf, str) else leaf))


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def merkle_root(leaf_hashes):
    """MTH over leaf hashes, split at the largest power of two below n."""
    n = len(leaf_hashes)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return leaf_hashes[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(merkle_root(leaf_hashes[:k]), merkle_root(leaf_hashes[k:]))


def verify_inclusion(index, tree_size, leaf_h, path, root):
    """RFC 9162 2.1.3.2."""
    if not (0 <= index < tree_size):
        return False
    fn, sn, r = index, tree_size - 1, leaf_h
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, proof):
    """RFC 9162 2.1.4.2; an empty tree is a prefix of every tree."""
    if not (0 <= first <= second):
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == sha256(b"")
    if not proof:
        return False
    path = ([first_root] if first & (first - 1) == 0 else []) + list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- Ed25519 verification (RFC 8032 section 5.1.7, cofactorless, strict encodings) -----------------

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa, bb = (y1 - x1) * (y2 - x2) % P, (y1 + x1) * (y2 + x2) % P
    cc, dd = 2 * t1 * t2 * D % P, 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(s, pt):
    q = (0, 1, 1, 0)
    while s:
        if s & 1:
            q = _add(q, pt)
        pt, s = _add(pt, pt), s >> 1
    return q


def _decode_point(b):
    y = int.from_bytes(b, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return (x, y, 1, x * y % P)


_GY = 4 * pow(5, P - 2, P) % P
G = _decode_point(_GY.to_bytes(32, "little"))


def _same(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def ed25519_verify(public_key, message, signature):
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a, r = _decode_point(public_key), _decode_point(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % L
    return _same(_mul(s, G), _add(r, _mul(k, a)))


# --- Signed tree head -----------------------------------------------------------------------------

def key_id(public_key):
    return hashlib.sha256(public_key).hexdigest()[:16]


def head_signing_bytes(head):
    return "fairslot-log-head/v1\n{}\n{}\n{}\n{}\n".format(
        head["treeSize"], head["rootHash"], head["timestamp"], head["keyId"]).encode("ascii")


def verify_head(head, public_key):
    """None if the head is well formed, names public_key and carries its valid signature; else the reason."""
    try:
        if not (_int(head["treeSize"]) and _int(head["timestamp"]) and _hex(head["rootHash"])):
            return "malformed head"
        signature = bytes.fromhex(head["signature"])
    except (KeyError, TypeError, ValueError):
        return "malformed head"
    if head["keyId"] != key_id(public_key):
        return "signed by another key"
    if not ed25519_verify(public_key, head_signing_bytes(head), signature):
        return "the signature does not verify"
    return None


# --- A draw against the log -----------------------------------------------------------------------

# Facts that are null for an unanchored draw: a null there is a claim to compare, not a missing value.
_NULLABLE = {"beaconChain", "beaconRound", "beaconRandomness"}

EXPECTED = {"open": ["draw-opened"], "closed": ["draw-opened", "draw-closed"],
            "drawn": ["draw-opened", "draw-closed", "draw-drawn"]}


def check_draw(draw_id, public_key_hex, head, leaves, record=None, saved=None):
    """[(name, ok, detail)] for a draw's leaves ({index, leaf, path}) in a head, as the TypeScript verifier.

    record: the published record's facts (record_facts): only the facts present are compared.
    saved: {head, publicKey, proof} of a head saved earlier, with the consistency proof to this head.
    """
    record = record or {}
    checks = []
    pk = bytes.fromhex(public_key_hex) if _hex(public_key_hex) else b""
    why = verify_head(head, pk)
    checks.append((f"log head ({head.get('treeSize')} leaves) signed by key {head.get('keyId')}", why is None, why or ""))
    root = bytes.fromhex(head["rootHash"]) if _hex(head.get("rootHash")) else b""
    events = {}
    for item in leaves:
        event = decode_leaf(item["leaf"])
        label = f"log leaf #{item['index']} ({event['type'] if event else 'unreadable'})"
        if not event or event["drawId"] != draw_id:
            checks.append((label, False, f"belongs to draw {event['drawId']}" if event else "not a canonical draw event"))
            continue
        if event["type"] in events:
            checks.append((label, False, f"a second {event['type']} event for this draw"))
        events[event["type"]] = event
        ok = all(_hex(p) for p in item["path"]) and verify_inclusion(
            item["index"], head["treeSize"], leaf_hash(item["leaf"]), [bytes.fromhex(p) for p in item["path"]], root)
        checks.append((f"{label} included in the signed head", ok, "" if ok else "the inclusion proof does not verify"))
    expected = EXPECTED[record.get("status") or "open"]
    missing = [t for t in expected if t not in events]
    checks.append((f"log holds the draw's {', '.join(expected)} events", not missing,
                   f"missing: {', '.join(missing)}" if missing else ""))
    diffs = []
    pairs = [("draw-opened", "commitment", "commitment"), ("draw-opened", "specVersion", "spec version"),
             ("draw-opened", "beaconChain", "beacon chain"), ("draw-opened", "beaconRound", "beacon round"),
             ("draw-closed", "entries", "entries"), ("draw-closed", "entriesDigest", "entries digest"),
             ("draw-drawn", "seed", "seed"), ("draw-drawn", "beaconRandomness", "beacon randomness"),
             ("draw-drawn", "resultsDigest", "results digest"), ("draw-drawn", "winners", "winners"),
             ("draw-drawn", "waitlisted", "waitlisted")]
    for kind, name, label in pairs:
        if kind not in events or name not in record:
            continue
        # An unanchored draw logs null for its beacon: null in the log and in the record agree.
        logged, published = events[kind].get(name), record[name]
        if logged != published and not (published is None and name not in _NULLABLE):
            diffs.append(f"{label}: log {logged}, record {published}")
    if "draw-drawn" in events and "draw-opened" in events:
        opened, drawn = events["draw-opened"], events["draw-drawn"]
        anchor = ("none" if opened["beaconChain"] is None
                  else f"drand {opened['beaconChain']} {opened['beaconRound']}")
        commitment = hashlib.sha256(
            f"fairslot-draw/{opened['specVersion']}\n{drawn['drawId']}\n{drawn['seed']}\n{anchor}".encode()).hexdigest()
        if commitment != opened["commitment"]:
            diffs.append("the logged seed does not match the logged commitment")
    checks.append(("log agrees with the published record", not diffs, "; ".join(diffs)))
    if saved:
        old = saved["head"]
        same_key = saved["publicKey"] == public_key_hex
        checks.append(("log key unchanged since the saved head", same_key, "" if same_key else "the key changed"))
        why = verify_head(old, bytes.fromhex(saved["publicKey"]) if _hex(saved["publicKey"]) else b"")
        checks.append(("saved head signature", why is None, why or ""))
        ok = _hex(old.get("rootHash")) and all(_hex(p) for p in saved["proof"]) and verify_consistency(
            old["treeSize"], head["treeSize"], bytes.fromhex(old["rootHash"]), root,
            [bytes.fromhex(p) for p in saved["proof"]])
        detail = "" if ok else ("the log is shorter than the saved head" if old["treeSize"] > head["treeSize"]
                                else "the consistency proof does not verify: history was rewritten")
        checks.append((f"log only appended since the saved head ({old['treeSize']} → {head['treeSize']} leaves)",
                       bool(ok), detail))
    return checks


def record_facts(draw):
    """What a published record says that the log repeats (as src/domain/log-verify.ts recordFacts)."""
    anchor, beacon = draw.get("anchor"), draw.get("beacon")
    facts = {
        "status": draw.get("status"),
        "commitment": draw.get("commitment"),
        "specVersion": None if draw.get("specVersion") is None else str(draw["specVersion"]),
        "beaconChain": anchor["chainHash"] if anchor else None,
        "beaconRound": anchor["round"] if anchor else None,
        "entries": len(draw["entries"]) if draw.get("entries") is not None else None,
        "entriesDigest": draw.get("entriesDigest"),
        "seed": draw.get("seed"),
        "resultsDigest": draw.get("resultsDigest"),
        "winners": draw.get("winners"),
        "waitlisted": draw.get("waitlisted"),
    }
    if draw.get("status") == "drawn":
        facts["beaconRandomness"] = beacon["randomness"] if beacon else None
    return facts


def fetch_evidence(base, draw_id, since_head=None):
    """(public key, head, leaves with inclusion paths, saved) from a server, for check_draw."""
    key = _get(base, "/api/log/key")
    head = _get(base, "/api/log/head")
    found = _get(base, "/api/log/draws/" + urllib.parse.quote(draw_id, safe=""))["leaves"]
    leaves = []
    for item in found:
        proof = _get_or_none(base, f"/api/log/proof/inclusion?index={item['index']}&treeSize={head['treeSize']}")
        leaves.append({"index": item["index"], "leaf": item["leaf"], "path": (proof or {}).get("path", [])})
    saved = None
    if since_head:
        with open(since_head, encoding="utf-8") as f:
            old = json.load(f)
        proof = (_get_or_none(base, f"/api/log/proof/consistency?from={old['head']['treeSize']}&to={head['treeSize']}")
                 if old["head"]["treeSize"] <= head["treeSize"] else None)
        saved = {"head": old["head"], "publicKey": old["publicKey"], "proof": (proof or {}).get("proof", [])}
    return key, head, leaves, saved


ORDER = {"draw-opened": 0, "draw-closed": 1, "draw-drawn": 2}


def _some(xs):
    return "; ".join(xs[:5]) + (f"; … ({len(xs)} in all)" if len(xs) > 5 else "")


def audit_log(leaves, head):
    """[(name, ok, detail)] for the whole log up to a head, as a monitor checks it (src/domain/log-audit.ts)."""
    bad, duplicates, disorder, seen, last = [], [], [], {}, {}
    for index, leaf in enumerate(leaves):
        event = decode_leaf(leaf)
        if not event:
            bad.append(f"#{index}")
            continue
        identity = f"{event['type']}|{event['drawId']}"
        if identity in seen:
            duplicates.append(f"#{seen[identity]} and #{index}: {event['type']} of {event['drawId']}")
        else:
            seen[identity] = index
        before, step = last.get(event["drawId"]), ORDER[event["type"]]
        if before and (step <= before[0] or event["at"] < before[1]):
            disorder.append(f"#{index}: {event['type']} of {event['drawId']} after a later step or earlier time")
        if not before and step != 0:
            disorder.append(f"#{index}: {event['type']} of {event['drawId']} before it opened")
        last[event["drawId"]] = (step, event["at"])
    size_ok = len(leaves) == head["treeSize"]
    root = merkle_root([leaf_hash(x) for x in leaves]).hex() if size_ok else None
    return [
        (f"read all {head['treeSize']} leaves of the signed head", size_ok, "" if size_ok else f"got {len(leaves)}"),
        ("every leaf is a canonical draw event", not bad, _some(bad)),
        ("one event of each type per draw", not duplicates, _some(duplicates)),
        ("each draw's events in order: opened, closed, drawn", not disorder, _some(disorder)),
        ("the leaves hash to the signed root", root == head["rootHash"],
         "" if root == head["rootHash"] else f"computed {root or '(not computed)'}"),
    ]


def _get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as res:
        return json.load(res)


def _get_or_none(base, path):
    try:
        return _get(base, path)
    except urllib.error.HTTPError:
        return None


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check a fairslot draw against the signed transparency log.")
    ap.add_argument("draw_id", help="<office>:<YYYY-MM-DD>")
    ap.add_argument("--url", default="http://127.0.0.1:3000")
    ap.add_argument("--record", help="the published draw record (JSON file) to compare with the log")
    ap.add_argument("--since-head", help="a head saved earlier: check the log only grew since")
    ap.add_argument("--save-head", help="save the verified head here")
    ap.add_argument("--audit", action="store_true", help="also read and audit every leaf up to the head")
    args = ap.parse_args(argv)
    base = args.url.rstrip("/")
    try:
        key, head, leaves, saved = fetch_evidence(base, args.draw_id, args.since_head)
        record = None
        if args.record:
            with open(args.record, encoding="utf-8") as f:
                draw = json.load(f)
            record = record_facts(draw)
        audit = None
        if args.audit:
            all_leaves = []
            while len(all_leaves) < head["treeSize"]:
                limit = min(1000, head["treeSize"] - len(all_leaves))
                page = _get(base, f"/api/log?from={len(all_leaves)}&limit={limit}")["leaves"]
                if not page:
                    break
                all_leaves += [item["leaf"] for item in page]
            audit = audit_log(all_leaves[: head["treeSize"]], head)
    except (OSError, ValueError, KeyError) as err:
        print(f"translog: cannot read the log from {base}: {err}", file=sys.stderr)
        return 2
    checks = check_draw(args.draw_id, key["publicKey"], head, leaves, record, saved)
    print(f"transparency log: head of {head['treeSize']} leaves, key {head['keyId']}")
    for name, ok, detail in checks:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}")
    if audit is not None:
        print(f"whole-log audit ({head['treeSize']} leaves):")
        for name, ok, detail in audit:
            print(f"  {'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}")
    if key.get("development"):
        print("  note: the server signs with the public development key, so its heads prove nothing")
    trusted = all(ok for name, ok, _ in checks
                  if name.startswith("log head") or name.startswith("log key") or "since the saved head" in name)
    if args.save_head and trusted:
        with open(args.save_head, "w", encoding="utf-8") as f:
            json.dump({"url": base, "publicKey": key["publicKey"], "head": head}, f, indent=2)
            f.write("\n")
        print(f"  saved the head to {args.save_head}")
    ok = all(ok for _, ok, _ in checks + (audit or []))
    print("MATCH" if ok else "MISMATCH: the transparency log does not confirm this draw")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
