"""Issue 2, done when 3: show reads the prototype's own files."""
import os
import unittest

from helpers import read_pb, run, shared_fixtures, show_json, sperrips_pb2

FIXTURES = shared_fixtures()
COUNTS = {"cat": 38, "echo": 30, "hostname": 29}


@unittest.skipIf(FIXTURES is None, "../shared/fixtures/seed-eval2 is not beside the repository")
class PrototypeFixtures(unittest.TestCase):
    def check_recording(self, job):
        path = os.path.join(FIXTURES, "recording.bin." + job)
        p = run(["show", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, b"")
        lines = p.stdout.decode(errors="replace").splitlines()
        body = [l for l in lines if not l.startswith("#")]
        self.assertEqual(len(body), COUNTS[job])
        for l in body:
            self.assertRegex(l, r"^[a-z_0-9]+\(.*\) = ")
            self.assertNotIn("syscall_", l)
        self.assertTrue(body[-1].startswith("exit_group("), body[-1])
        self.assertIn("eval_" + job, lines[0])
        meta, events, _ = show_json(path)
        self.assertEqual(len(events), COUNTS[job])
        self.assertEqual(meta["number_of_syscalls"], COUNTS[job])
        self.assertEqual(meta["job"], "eval_" + job)
        self.assertEqual(meta["release"], "5.15.1-maiks")
        # And our generated Python classes agree.
        rec = read_pb(path)
        self.assertEqual(len(rec.syscall), COUNTS[job])
        self.assertEqual([s.type for s in rec.syscall], [e["nr"] for e in events])

    def check_differences(self, job):
        path = os.path.join(FIXTURES, "differences.bin." + job)
        p = run(["show", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, b"")
        out = p.stdout.decode(errors="replace")
        self.assertIn("differences", out.splitlines()[0])
        self.assertIn("eval_" + job, out)
        meta, events, _ = show_json(path)
        self.assertEqual(meta["kind"], "differences")
        self.assertEqual(events, [])
        with open(path, "rb") as f:
            d = sperrips_pb2.Differences.FromString(f.read())
        self.assertTrue(d.equal)
        self.assertEqual(len(d.differences), 0)

    def test_cat_recording(self):
        self.check_recording("cat")

    def test_echo_recording(self):
        self.check_recording("echo")

    def test_hostname_recording(self):
        self.check_recording("hostname")

    def test_cat_differences(self):
        self.check_differences("cat")

    def test_echo_differences(self):
        self.check_differences("echo")

    def test_hostname_differences(self):
        self.check_differences("hostname")

    def test_cat_read_of_hostname(self):
        meta, events, _ = show_json(os.path.join(FIXTURES, "recording.bin.cat"))
        reads = [e for e in events if e["name"] == "read" and e["retval"] > 0]
        writes = [e for e in events if e["name"] == "write"]
        self.assertTrue(writes)
        written = bytes.fromhex(writes[0]["entry"][1].get("hex", ""))
        self.assertTrue(written.endswith(b"\n"), written[:80])
        # The prototype kept the whole requested buffer; the first `retval`
        # bytes are what the kernel filled.
        got = [bytes.fromhex(r["exit"][1].get("hex", ""))[:r["retval"]] for r in reads]
        self.assertTrue(written in got, "the written bytes %r were not read before" % written[:80])
