"""TL-5 through Python: a head round trip and its proof, sealing, the
unsealed tail, and a wrong verification key."""

import tempfile
import unittest
from pathlib import Path

import libincident as inc


class Seal(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        self.ctx = inc.Context()
        self.inc = self.ctx.declare("Card payments failing", "dana", "Sev-2")
        self.inc.note("lee", "refunds paused")

    def tearDown(self):
        self.ctx.close()
        self.tmp.cleanup()

    def test_head_round_trip_and_proof(self):
        head = self.inc.head()
        self.assertEqual(head.seq, 2)
        self.assertEqual(inc.Checkpoint.parse(str(head)), head)
        self.inc.verify_head(head)
        self.ctx.store.verify_head(self.inc.id, head)
        wrong = inc.Checkpoint(2, bytes([head.hash[0] ^ 1]) + head.hash[1:])
        with self.assertRaises(inc.CorruptError) as cm:
            self.inc.verify_head(wrong)
        self.assertEqual(cm.exception.bad_seq, 2)
        with self.assertRaises(inc.NotFoundError):
            self.inc.verify_head(inc.Checkpoint(9, head.hash))
        with self.assertRaises(inc.ParseError):
            inc.Checkpoint.parse("2:xyz")

    def test_sealing(self):
        key, log = self.dir / "seal.key", self.dir / "seal.log"
        vkey = self.ctx.seal_setup(key, log)
        self.assertEqual(len(vkey), 32)
        self.assertEqual(inc.seal_key_parse(inc.seal_key_format(vkey)), vkey)
        self.assertNotIn(vkey, key.read_bytes())
        with self.assertRaises(inc.ExistsError):
            self.ctx.seal_setup(key, log)
        result = self.ctx.seal(key, log)
        self.assertEqual((result.epoch, result.incidents, result.events), (1, 1, 2))
        self.inc.note("lee", "after the seal")
        reports, summary = self.ctx.seal_verify(log, vkey, key_path=key)
        self.assertEqual(len(reports), 1)
        self.assertTrue(reports[0].ok)
        self.assertEqual((reports[0].sealed_seq, reports[0].sealed_epoch, reports[0].unsealed),
                         (2, 1, 1))
        self.assertEqual((summary.seals, summary.key_epoch), (1, 2))
        self.assertIsNotNone(summary.last_sealed_at)
        with self.assertRaises(inc.PermissionDeniedError):
            self.ctx.seal_verify(log, bytes(32), key_path=key)
        with self.assertRaises(inc.NotFoundError):
            self.ctx.seal(self.dir / "none", log)


if __name__ == "__main__":
    unittest.main()
