"""A recording cannot steer replay into acts on its host (issue 8, finding
4): recorded bytes never go into a shared file mapping or a mapping the
program cannot write, and no return value the call's arguments rule out is
put in a register."""
import os

from helpers import TmpTestCase, record, rewrite, run, tracee
from test_replay import pairs, replay

ORIGINAL = b"original content\n"
CHANGED = b"CHANGED! content\n"


class Mappings(TmpTestCase):
    def check(self, mode, map_bytes=True):
        data = self.tmpfile("data.txt", ORIGINAL)
        opts = ["--stdout", os.devnull] + (["--map-bytes"] if map_bytes else [])
        p, rec = record(self.tmp, [tracee("mapfile"), mode, data], opts)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(data, "wb") as f:
            f.write(CHANGED)
        out = os.path.join(self.tmp, "out.txt")
        r = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", out])
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        line = "mapped bytes of %s differ in the page at file offset 0x0: sha256 " % data
        self.assertIn(line, err)
        if map_bytes:
            # the recorded bytes are there, but never written into this mapping
            self.assertIn(', at file offset 0x0: "original content\\n', err)
            self.assertIn("  1 recorded value not written back: the program's memory there is a shared or "
                          "read-only mapping", err.splitlines())
        else:
            # by digest only: nothing to show or to write back
            self.assertNotIn(", at file offset", err)
            self.assertNotIn("not written back", err)
        # the program saw the file as it is, and the file on disk stays so
        with open(out, "rb") as f:
            self.assertEqual(f.read(), CHANGED[:16] + b"\n")
        with open(data, "rb") as f:
            self.assertEqual(f.read(), CHANGED)

    def test_shared_mapping_file_unchanged_on_disk(self):
        self.check("shared")

    def test_read_only_private_mapping_keeps_the_file_bytes(self):
        self.check("private-ro")

    def test_shared_mapping_by_digest(self):
        self.check("shared", map_bytes=False)


class ImpossibleReturn(TmpTestCase):
    def test_read_returning_more_than_its_buffer(self):
        # loop reads 64 bytes into a 64-byte buffer; the edited recording
        # says read returned 100000.
        p, rec = record(self.tmp, [tracee("loop"), "1"], ["--stdout", os.devnull])
        self.assertEqual(p.returncode, 0, p.stderr)
        edited = os.path.join(self.tmp, "edited.bin")

        def edit(calls):
            for c in calls:
                if c.type == 0 and c.return_value.int64 == 64:  # read
                    c.return_value.int64 = 100000
                    break
            return calls
        rewrite(rec, edited, edit)
        r, diff, _ = replay(self.tmp, edited, stdout_name="o")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertNoSignal(r)
        self.assertIn("return value differs: 100000 vs 64", r.stderr.decode())
        self.assertIn("POTENTIAL_MEMORY_CORRUPTION", r.stderr.decode())
        meta, ps = pairs(diff)
        bad = [p for p in ps if p["recorded"]["name"] == "read"][0]
        d = [d for d in bad["replayed"]["differences"] if d["arg"] == 0][0]
        self.assertFalse(d["replayed"])
        self.assertEqual(d["class"], 0)
