#!/usr/bin/env python3
"""Independent verifier of a published fairslot draw (docs/draw-spec.md), standard library only.

It shares no code with the TypeScript server: it reads the spec's bytes and numbers, recomputes the draw
and checks everything the record claims. Usage:

    python3 verifier/verify_draw.py RECORD [--trust-chain HASH]... [--require-anchor]
                                           [--log BASE_URL] [--since-head FILE]
    python3 verifier/verify_draw.py --vector spec/vectors/NAME.json

RECORD is a file or a URL (http://host/api/draws/<office>/<date>). With --log (implied by --since-head,
and taken from the record URL's origin when RECORD is a URL) the draw's events are checked against the
signed transparency log (translog.py). Prints one line per check, then MATCH or MISMATCH; exits 0 on
MATCH, 1 on MISMATCH, 2 when the input cannot be read.
"""

import hashlib
import json
import math
import os
import sys
import urllib.parse
import urllib.request
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import drand  # noqa: E402  (the BLS12-381 beacon check, verifier/drand.py)
import translog  # noqa: E402  (the transparency log: proofs and Ed25519 heads, verifier/translog.py)

SPEC_VERSION = 2
QUICKNET = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
SCHEME = "bls-unchained-g1-rfc9380"

CHECK_NAMES = {
    "specVersion": "record follows a known spec version",
    "drawId": "draw id is office:date",
    "revealed": "draw is drawn and seed revealed",
    "commitment": "seed, draw id and beacon round match the commitment made at open",
    "beaconChain": "beacon chain is a trusted public chain",
    "beaconRound": "beacon round is the one fixed at open and its signature verifies",
    "beaconTime": "beacon round was published after entries closed",
    "weights": "every weight follows the published rules",
    "entries": "entry list matches its published digest",
    "counts": "entry, winner and waitlist counts match the lists",
    "recompute": "recomputed results match the published results",
    "results": "published results match their published digest",
}


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def js_number(x):
    """A number as ECMAScript's Number::toString writes it (the spec's number text)."""
    if isinstance(x, bool):
        raise ValueError("not a number")
    x = float(x)
    if x != x:
        return "NaN"
    if x == 0:
        return "0"
    if x < 0:
        return "-" + js_number(-x)
    if math.isinf(x):
        return "Infinity"
    mantissa, _, exp = repr(x).partition("e")
    exp = int(exp) if exp else 0
    whole, _, frac = mantissa.partition(".")
    if whole.strip("0"):
        n = len(whole.lstrip("0")) + exp
    else:
        n = exp - (len(frac) - len(frac.lstrip("0")))
    digits = (whole + frac).lstrip("0").rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    sign = "+" if e >= 0 else "-"
    return (digits if k == 1 else digits[0] + "." + digits[1:]) + "e" + sign + str(abs(e))


# --- the spec's definitions -------------------------------------------------------------------------


def anchor_text(anchor):
    return "none" if anchor is None else f"drand {anchor['chainHash']} {js_number(anchor['round'])}"


def commitment_for(draw_id, seed, anchor):
    return sha256_hex(f"fairslot-draw/{SPEC_VERSION}\n{draw_id}\n{seed}\n{anchor_text(anchor)}")


def effective_seed(seed, beacon_randomness, entropy):
    return sha256_hex(f"{seed}\n{beacon_randomness or ''}\n{entropy or ''}")


def uniform(eff_seed, draw_id, ticket):
    d = hashlib.sha256(f"{eff_seed}\n{draw_id}\n{ticket}".encode("utf-8")).digest()
    m = int.from_bytes(d[:7], "big") >> 4
    return (m + 0.5) / 2**52


def weight_from_parts(rules, entry):
    cat = entry.get("category")
    c = 1.0
    if cat is not None:
        for known in rules["categories"]:
            if known["id"] == cat:
                c = float(known["weight"])
                break
    losses = entry["losses"]
    if isinstance(losses, bool) or not isinstance(losses, (int, float)) or not math.isfinite(losses) or losses < 0:
        raise ValueError(f"losses must be a number >= 0, got {losses!r}")
    bonus = rules["loserBonus"]
    multiplier = min(1 + float(bonus["perLoss"]) * losses, float(bonus["cap"]))
    penalty = float(rules["penaltyFactor"]) if entry.get("penalty") is True else 1.0
    x = c * multiplier * penalty * 1e6
    w = math.floor(x + 0.5) / 1e6
    if not (math.isfinite(w) and w > 0):
        raise ValueError(f"weight {w} is not finite and > 0")
    return w


def weight_of_entry(rules, entry):
    """5.1, or for a group (5.2) the mean of its members' weights, summed in member order."""
    members = entry.get("members")
    if members is None:
        return weight_from_parts(rules, entry)
    if not isinstance(members, list) or not 2 <= len(members) <= 20:
        raise ValueError("a group has 2..20 members")
    s = 0.0
    for m in members:
        s += weight_from_parts(rules, m)
    w = math.floor((s / len(members)) * 1e6 + 0.5) / 1e6
    if not (math.isfinite(w) and w > 0):
        raise ValueError(f"weight {w} is not finite and > 0")
    return w


def entry_size(e):
    members = e.get("members")
    return 1 if members is None else len(members)


def entry_line(e):
    prefs = "*" if e["prefs"] is None else ",".join(e["prefs"])
    parts = e.get("members") or [e]
    cat = ",".join("-" if m.get("category") is None else m["category"] for m in parts)
    losses = ",".join(js_number(m["losses"]) for m in parts)
    pen = ",".join("1" if m.get("penalty") is True else "0" for m in parts)
    return f"{e['ticket']}\t{js_number(e['weight'])}\t{prefs}\t{cat}\t{losses}\t{pen}\n"


def entries_digest(entries):
    return sha256_hex("".join(entry_line(e) for e in entries))


def results_digest(rows):
    return sha256_hex(
        "".join(f"{js_number(r['rank'])}\t{r['ticket']}\t{r['sessionId'] if r['sessionId'] is not None else '-'}\n" for r in rows)
    )


def utf16_units(ticket):
    return ticket.encode("utf-16-be", "surrogatepass")


def compute_draw(eff_seed, draw_id, entries, sessions):
    """Rank (Efraimidis-Spirakis keys, ties by ticket) then assign (serial dictatorship by size)."""
    seen = set()
    keyed = []
    for e in entries:
        t = e["ticket"]
        if t in seen:
            raise ValueError(f"duplicate ticket {t}")
        seen.add(t)
        w = e["weight"]
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not (math.isfinite(w) and w > 0):
            raise ValueError(f"weight of ticket {t} must be finite and > 0, got {w!r}")
        key = -math.log(uniform(eff_seed, draw_id, t)) / float(w) + 0.0
        keyed.append((key, utf16_units(t), e))
    keyed.sort(key=lambda k: (k[0], k[1]))

    remaining = []
    index = {}
    for i, s in enumerate(sessions):
        cap = s["capacity"]
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
            raise ValueError(f"capacity of session {s['id']} must be an integer >= 0")
        if s["id"] in index:
            raise ValueError(f"duplicate session id {s['id']}")
        index[s["id"]] = i
        remaining.append(cap)
    left = sum(remaining)
    rows = []
    for rank, (_, _, e) in enumerate(keyed, start=1):
        chosen = None
        size = entry_size(e)
        if left >= size:
            if e["prefs"] is None:
                order = range(len(sessions))
            else:
                order = [index[p] for p in e["prefs"] if p in index]
            for i in order:
                if remaining[i] >= size:
                    chosen = i
                    break
        if chosen is not None:
            remaining[chosen] -= size
            left -= size
        rows.append({"rank": rank, "ticket": e["ticket"], "sessionId": None if chosen is None else sessions[chosen]["id"]})
    return rows


# --- checks -----------------------------------------------------------------------------------------


def parse_instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def verify(record, trusted_chains=(), require_anchor=False):
    """[(id, ok, detail, warning)] for the record, in the order of CHECK_NAMES."""
    checks = []

    def check(cid, ok, detail="", warning=False):
        checks.append((cid, bool(ok), detail, warning))

    d = record
    check("specVersion", d.get("specVersion") == SPEC_VERSION, f"version {d.get('specVersion')}")
    expected_id = f"{d.get('officeId')}:{d.get('drawDate')}"
    check("drawId", d.get("drawId") == expected_id, f"draw id {d.get('drawId')}, expected {expected_id}")
    seed, entries, results = d.get("seed"), d.get("entries"), d.get("results")
    if d.get("status") != "drawn" or seed is None or entries is None or results is None:
        check("revealed", False, f"draw is {d.get('status')}; nothing to verify until it is drawn and published")
        return checks
    seed_ok = isinstance(seed, str) and len(seed) == 64 and all(c in "0123456789abcdef" for c in seed)
    check("revealed", seed_ok, f"seed {seed}")

    anchor = d.get("anchor")
    c = commitment_for(d["drawId"], seed, anchor)
    check("commitment", c == d.get("commitment"), f"recomputed {c}, published {d.get('commitment')}")

    beacon = d.get("beacon")
    if anchor is None:
        check("beaconChain", not require_anchor, "not anchored: no public beacon", warning=True)
    else:
        chain = {
            "public_key": anchor["publicKey"],
            "period": anchor["period"],
            "genesis_time": anchor["genesisTime"],
            "groupHash": anchor["groupHash"],
            "schemeID": anchor["scheme"],
        }
        try:
            computed = drand.chain_hash(chain, None if anchor["beaconId"] == "default" else anchor["beaconId"])
        except (ValueError, KeyError) as err:
            computed = f"(unreadable: {err})"
        trusted = anchor["chainHash"] in (QUICKNET, *trusted_chains)
        check(
            "beaconChain",
            computed == anchor["chainHash"] and trusted,
            f"chain info hashes to {computed}; chain {anchor['chainHash']} {'trusted' if trusted else 'NOT trusted'}",
        )
        if beacon is None:
            check("beaconRound", False, f"round {anchor['round']} is not in the record")
        elif beacon.get("round") != anchor["round"]:
            check("beaconRound", False, f"record uses round {beacon.get('round')}, opened with {anchor['round']}")
        else:
            try:
                randomness = drand.verify_beacon(chain, beacon["round"], beacon["signature"])
                ok = randomness == beacon.get("randomness")
                check("beaconRound", ok, f"round {beacon['round']}" + ("" if ok else ": randomness is not SHA-256 of the signature"))
            except drand.BeaconError as err:
                check("beaconRound", False, str(err))
        round_at = (anchor["genesisTime"] + (anchor["round"] - 1) * anchor["period"]) * 1000
        closed = d.get("closedAt")
        try:
            closed_ms = parse_instant(closed) * 1000
        except (TypeError, ValueError):
            closed_ms = None
        check(
            "beaconTime",
            closed_ms is not None and closed_ms < round_at,
            f"round {anchor['round']} at {round_at / 1000:.0f} s, entries closed at {closed}",
        )

    rules = d.get("rules")
    if rules is None:
        check("weights", False, "the record does not publish its rules")
    else:
        wrong = []
        for e in entries:
            try:
                expected = weight_of_entry(rules, e)
            except (ValueError, KeyError, TypeError) as err:
                expected = f"error ({err})"
            if expected != e["weight"]:
                wrong.append(f"ticket {e['ticket']}: published {e['weight']}, rules give {expected}")
        check("weights", not wrong, f"{len(wrong)} wrong; first {wrong[0]}" if wrong else f"{len(entries)} weights")

    e_digest = entries_digest(entries)
    check("entries", e_digest == d.get("entriesDigest"), f"entries hash to {e_digest}, published {d.get('entriesDigest')}")

    winners = sum(1 for r in results if r["sessionId"] is not None)
    seats = sum(s["capacity"] for s in d["sessions"])
    size_of = {e["ticket"]: entry_size(e) for e in entries}
    seated = sum(size_of.get(r["ticket"], 1) for r in results if r["sessionId"] is not None)
    problems = []
    if d.get("entryCount") != len(entries):
        problems.append(f"entry count {d.get('entryCount')}, list has {len(entries)}")
    if len(results) != len(entries):
        problems.append(f"{len(results)} result rows for {len(entries)} entries")
    if d.get("winners") != winners:
        problems.append(f"winners {d.get('winners')}, results have {winners}")
    if d.get("waitlisted") != len(results) - winners:
        problems.append(f"waitlisted {d.get('waitlisted')}, results have {len(results) - winners}")
    if seated > seats:
        problems.append(f"{seated} persons seated for {seats} places")
    check("counts", not problems, "; ".join(problems))

    try:
        randomness = (beacon or {}).get("randomness", "") if anchor is not None else None
        eff = effective_seed(seed, randomness, d.get("publicEntropy"))
        recomputed = compute_draw(eff, d["drawId"], entries, d["sessions"])
        first = None
        for i in range(max(len(recomputed), len(results))):
            p = results[i] if i < len(results) else None
            r = recomputed[i] if i < len(recomputed) else None
            if p != r:
                first = f"rank {i + 1}: published {p}, recomputed {r}"
                break
        check("recompute", first is None, first or f"{len(recomputed)} rows identical")
    except (ValueError, KeyError, TypeError) as err:
        check("recompute", False, f"cannot recompute: {err}")

    r_digest = results_digest(results)
    check("results", r_digest == d.get("resultsDigest"), f"results hash to {r_digest}, published {d.get('resultsDigest')}")
    return checks


# --- command line -----------------------------------------------------------------------------------


def load(source):
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as res:
            return json.load(res)
    with open(source, encoding="utf-8") as f:
        return json.load(f)


def log_checks(base_url, record, since_head):
    """The draw's events in the signed transparency log (translog.py): [(id, ok, detail, warning)]."""
    key, head, leaves, saved = translog.fetch_evidence(base_url.rstrip("/"), record["drawId"], since_head)
    checks = translog.check_draw(record["drawId"], key["publicKey"], head, leaves, translog.record_facts(record), saved)
    out = [("log", ok, name + ("" if ok else f": {detail}"), False) for name, ok, detail in checks]
    if key.get("development"):
        out.append(("log", True, "note: signed with the public development key, so its heads prove nothing", True))
    return out


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    trusted, require_anchor, log_base, since_head, vector = [], False, None, None, False
    positional = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--trust-chain" and i + 1 < len(args):
            trusted.append(args[i + 1])
            i += 2
        elif a == "--log" and i + 1 < len(args):
            log_base = args[i + 1]
            i += 2
        elif a == "--since-head" and i + 1 < len(args):
            since_head = args[i + 1]
            i += 2
        elif a == "--require-anchor":
            require_anchor = True
            i += 1
        elif a == "--vector":
            vector = True
            i += 1
        elif a.startswith("--"):
            print(f"unknown option {a}", file=sys.stderr)
            return 2
        else:
            positional.append(a)
            i += 1
    if len(positional) != 1:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        data = load(positional[0])
    except (OSError, ValueError) as err:
        print(f"cannot read {positional[0]}: {err}", file=sys.stderr)
        return 2
    record = data["record"] if vector else data
    if vector:
        trusted += data.get("trustedChains", [])
    if positional[0].startswith(("http://", "https://")) and log_base is None:
        u = urllib.parse.urlsplit(positional[0])
        log_base = f"{u.scheme}://{u.netloc}"
    if since_head and log_base is None:
        print("--since-head needs the log's server (--log BASE_URL)", file=sys.stderr)
        return 2

    checks = verify(record, trusted, require_anchor)
    print(f"draw {record.get('drawId')}, {len(record.get('entries') or [])} entries")
    for cid, ok, detail, warning in checks:
        mark = "FAIL" if not ok else "WARN" if warning else "ok  "
        note = f": {detail}" if (not ok or warning) else ""
        print(f"  {mark} [{cid}] {CHECK_NAMES[cid]}{note}")
    if log_base is not None:
        try:
            logged = log_checks(log_base, record, since_head)
        except (OSError, ValueError, KeyError) as err:
            logged = [("log", False, f"cannot check the log at {log_base}: {err}", False)]
        print("transparency log:")
        for cid, ok, detail, _ in logged:
            print(f"  {'ok  ' if ok else 'FAIL'} [{cid}] {detail}")
        checks += logged
    failed = [cid for cid, ok, _, _ in checks if not ok]
    if not failed:
        print("MATCH")
        return 0
    print(f"MISMATCH: {', '.join(failed)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
