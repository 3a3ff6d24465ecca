"""Real quicknet rounds verify; tampered rounds, keys and inputs are refused."""

import contextlib
import copy
import io
import unittest

import support  # noqa: F401  (sets the import path)
from bls.encoding import encode_g1, encode_g2
from drand import BeaconError, chain_hash, main, round_at, round_time, verify_beacon


class QuicknetRounds(unittest.TestCase):
    def setUp(self):
        facts = support.load_quicknet_facts(self)
        self.chain = facts["chain"]
        self.rounds = facts["rounds"]
        self.assertGreaterEqual(len(self.rounds), 2)

    def test_recorded_rounds_verify_and_give_their_randomness(self):
        for beacon in self.rounds:
            with self.subTest(round=beacon["round"]):
                randomness = verify_beacon(self.chain, beacon["round"], beacon["signature"])
                self.assertEqual(randomness, beacon["randomness"])

    def test_signature_with_a_flipped_bit_is_refused(self):
        beacon = self.rounds[0]
        sig = bytearray(bytes.fromhex(beacon["signature"]))
        for position in (47 * 8, 20 * 8 + 3, 5):  # last bit, a middle bit, the sign flag (-sig)
            flipped = bytearray(sig)
            flipped[position // 8] ^= 1 << (position % 8)
            with self.subTest(bit=position), self.assertRaises(BeaconError):
                verify_beacon(self.chain, beacon["round"], flipped.hex())

    def test_signature_of_another_round_is_refused(self):
        first, second = self.rounds[0], self.rounds[1]
        for wrong in (first["round"] + 1, first["round"] - 1, second["round"]):
            with self.subTest(round=wrong), self.assertRaisesRegex(BeaconError, "does not verify"):
                verify_beacon(self.chain, wrong, first["signature"])

    def test_another_chains_public_key_is_refused(self):
        # A valid G2 point that is not quicknet's key: the key with its sign bit flipped (-pk).
        chain = copy.deepcopy(self.chain)
        key = bytearray(bytes.fromhex(chain["public_key"]))
        key[0] ^= 0x20
        chain["public_key"] = key.hex()
        with self.assertRaisesRegex(BeaconError, "does not verify"):
            verify_beacon(chain, self.rounds[0]["round"], self.rounds[0]["signature"])

    def test_points_off_the_curve_or_the_subgroup_are_refused(self):
        from test_points import off_curve_x_g1, off_subgroup_g1, off_subgroup_g2, raw_g1

        beacon = self.rounds[0]
        with self.assertRaisesRegex(BeaconError, "not the abscissa"):
            verify_beacon(self.chain, beacon["round"], raw_g1(off_curve_x_g1()).hex())
        with self.assertRaisesRegex(BeaconError, "subgroup"):
            verify_beacon(self.chain, beacon["round"], encode_g1(off_subgroup_g1()).hex())
        with self.assertRaisesRegex(BeaconError, "subgroup"):
            key = encode_g2(off_subgroup_g2()).hex()
            verify_beacon({**self.chain, "public_key": key}, beacon["round"], beacon["signature"])

    def test_malformed_inputs_are_refused(self):
        beacon = self.rounds[0]
        cases = {
            "short signature": (self.chain, beacon["round"], beacon["signature"][:-2]),
            "long signature": (self.chain, beacon["round"], beacon["signature"] + "00"),
            "not hex": (self.chain, beacon["round"], "zz" + beacon["signature"][2:]),
            "round zero": (self.chain, 0, beacon["signature"]),
            "round as text": (self.chain, str(beacon["round"]), beacon["signature"]),
            "other scheme": ({**self.chain, "schemeID": "pedersen-bls-chained"}, beacon["round"], beacon["signature"]),
            "short key": ({**self.chain, "public_key": self.chain["public_key"][:-2]}, beacon["round"], beacon["signature"]),
        }
        for name, args in cases.items():
            with self.subTest(name), self.assertRaises(BeaconError):
                verify_beacon(*args)

    def test_chain_hash_ties_the_key_to_the_chain(self):
        self.assertEqual(chain_hash(self.chain, "quicknet"), self.chain["hash"])
        self.assertEqual(chain_hash({**self.chain, "metadata": {"beaconID": "quicknet"}}), self.chain["hash"])
        other = bytearray(bytes.fromhex(self.chain["public_key"]))
        other[0] ^= 0x20
        self.assertNotEqual(chain_hash({**self.chain, "public_key": other.hex()}, "quicknet"), self.chain["hash"])
        self.assertNotEqual(chain_hash(self.chain, "default"), self.chain["hash"])

    def test_round_times_follow_genesis_and_period(self):
        chain = self.chain
        self.assertEqual(round_time(chain, 1), chain["genesis_time"])
        for beacon in self.rounds:
            t = round_time(chain, beacon["round"])
            self.assertEqual(t, chain["genesis_time"] + (beacon["round"] - 1) * chain["period"])
            self.assertEqual(round_at(chain, t), beacon["round"])
            self.assertEqual(round_at(chain, t + chain["period"] - 0.001), beacon["round"])
            self.assertEqual(round_at(chain, t - 0.001), beacon["round"] - 1)
        with self.assertRaises(BeaconError):
            round_at(chain, chain["genesis_time"] - 1)

    def test_command_line(self):
        path = str(support.find_quicknet_facts())
        beacon = self.rounds[-1]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            self.assertEqual(main([path, str(beacon["round"]), beacon["signature"]]), 0)
            self.assertEqual(main([path, str(beacon["round"] + 1), beacon["signature"]]), 1)
        self.assertEqual(out.getvalue(), beacon["randomness"] + "\n")
        self.assertIn("FAIL", err.getvalue())


if __name__ == "__main__":
    unittest.main()
