"""Shared set-up for the verifier's unit tests: import path and the real drand facts."""

import json
import os
import sys
import unittest
from pathlib import Path

VERIFIER_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = VERIFIER_DIR.parent
if str(VERIFIER_DIR) not in sys.path:
    sys.path.insert(0, str(VERIFIER_DIR))

QUICKNET_FILE = "drand-quicknet.json"


def find_quicknet_facts():
    """Path of shared/drand-quicknet.json: $FAIRSLOT_SHARED_DIR, else a `shared`
    directory beside the repository or beside one of its parents (a worktree)."""
    explicit = os.environ.get("FAIRSLOT_SHARED_DIR")
    candidates = [Path(explicit) / QUICKNET_FILE] if explicit else []
    candidates += [parent / "shared" / QUICKNET_FILE for parent in REPO_DIR.parents]
    return next((path for path in candidates if path.is_file()), None)


def load_quicknet_facts(test_case: unittest.TestCase):
    """The recorded quicknet chain and rounds. Missing facts fail in CI and skip elsewhere."""
    path = find_quicknet_facts()
    if path is None:
        message = f"{QUICKNET_FILE} not found beside the repository (set FAIRSLOT_SHARED_DIR)"
        if os.environ.get("CI"):
            test_case.fail(message)
        test_case.skipTest(message)
    return json.loads(path.read_text())
