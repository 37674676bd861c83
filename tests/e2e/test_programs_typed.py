"""Issue 2, done when 4: real programs record with every syscall named and
typed (no "syscall_NNN" fallback, no RAW argument)."""
import os
import shutil
import subprocess

from helpers import TmpTestCase, record, show_json


def works_without_tracer(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdin=subprocess.DEVNULL, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class ProgramsAreTyped(TmpTestCase):
    def check(self, argv, min_calls=10):
        p, path = record(self.tmp, argv, stdout=subprocess.DEVNULL, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        meta, events, _ = show_json(path)
        self.assertGreaterEqual(len(events), min_calls)
        self.assertEqual(meta["number_of_syscalls"], len(events))
        unnamed, untyped = set(), set()
        for e in events:
            if e["name"].startswith("syscall_"):
                unnamed.add("%s (nr %d)" % (e["name"], e["nr"]))
            if any(a["type"] == "RAW" for a in e["entry"]):
                untyped.add("%s (nr %d)" % (e["name"], e["nr"]))
            for a in e["entry"] + e.get("exit", []):
                self.assertNotEqual(a["type"], "UNKNOWN")
        problems = []
        if unnamed:
            problems.append("syscalls without a name: " + ", ".join(sorted(unnamed)))
        if untyped:
            problems.append("syscalls without a typed description: " + ", ".join(sorted(untyped)))
        self.assertFalse(problems, "%s: %s" % (" ".join(argv), "; ".join(problems)))
        self.assertEqual(events[-1]["name"], "exit_group")
        return events

    def test_ls_l_usr_bin(self):
        events = self.check(["/bin/ls", "-l", "/usr/bin"])
        self.assertIn("getdents64", [e["name"] for e in events])

    def test_python3_c_pass(self):
        self.check(["/usr/bin/python3", "-c", "pass"], min_calls=50)

    def test_ping_c_1(self):
        ping = shutil.which("ping") or "/usr/bin/ping"
        if not os.path.exists(ping):
            self.skipTest("ping is not installed")
        argv = [ping, "-c", "1", "127.0.0.1"]
        if not works_without_tracer(argv):
            self.skipTest("ping -c 1 127.0.0.1 fails without the tracer here")
        events = self.check(argv)
        self.assertIn("socket", [e["name"] for e in events])

    def test_busybox_sh(self):
        if not os.path.exists("/bin/busybox"):
            self.skipTest("busybox is not installed")
        self.check(["/bin/busybox", "sh", "-c", "echo hi"])

    def test_echo_hi(self):
        events = self.check(["echo", "hi"])
        self.assertIn(b"hi\n", [bytes.fromhex(e["entry"][1].get("hex", "")) for e in events
                                if e["name"] == "write"])

    def test_hostname(self):
        events = self.check(["hostname"])
        self.assertIn("uname", [e["name"] for e in events])

    def test_cat_to_file(self):
        # With stdout on a file, cat uses copy_file_range.
        with open(os.path.join(self.tmp, "out"), "wb") as f:
            p, path = record(self.tmp, ["/bin/cat", "/etc/hostname"], stdout=f)
        self.assertEqual(p.returncode, 0, p.stderr)
        meta, events, _ = show_json(path)
        for e in events:
            self.assertFalse(any(a["type"] == "RAW" for a in e["entry"]), e["name"])
