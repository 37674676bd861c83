"""Issue 2, done when 2: cat /etc/hostname with stdout on a pipe."""
import subprocess

from helpers import SPERRIPS, TmpTestCase, arg_bytes, find_subsequence, read_pb, show_json, signed

import os


class CatHostname(TmpTestCase):
    def test_cat_etc_hostname(self):
        with open("/etc/hostname", "rb") as f:
            content = f.read()
        self.assertTrue(content)
        path = os.path.join(self.tmp, "r.bin")
        # stdout on a pipe: with a file, cat would use copy_file_range.
        p = subprocess.run([SPERRIPS, "record", "-o", path, "--", "/bin/cat", "/etc/hostname"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, content)

        meta, events, _ = show_json(path)
        fd = {}

        def opened(e):
            if e["name"] == "openat" and arg_bytes(e["entry"][1]) == b"/etc/hostname" and e["retval"] >= 0:
                fd["fd"] = e["retval"]
                return True
            return False

        steps = [
            opened,
            lambda e: (e["name"] == "read" and e["entry"][0]["value"] == fd["fd"]
                       and arg_bytes(e["exit"][1]) == content and e["retval"] == len(content)),
            lambda e: (e["name"] == "write" and e["entry"][0]["value"] == 1
                       and arg_bytes(e["entry"][1]) == content and e["retval"] == len(content)),
        ]
        idx, got = find_subsequence(events, steps)
        self.assertIsNotNone(idx, "step %d not found in show --json" % got)
        self.assertEqual(events[-1]["name"], "exit_group")
        self.assertEqual(meta["argv"], ["/bin/cat", "/etc/hostname"])
        self.assertEqual(meta["job"], "cat")

        # The same through a reader generated from our .proto.
        rec = read_pb(path)
        calls = list(rec.syscall)
        steps = [
            lambda s: s.type == 257 and s.args_on_entry.args[1].buffer == b"/etc/hostname",
            lambda s: s.type == 0 and s.args_on_exit.args[1].buffer == content
            and signed(s.return_value.int64) == len(content),
            lambda s: s.type == 1 and s.args_on_entry.args[1].buffer == content,
        ]
        idx, got = find_subsequence(calls, steps)
        self.assertIsNotNone(idx, "step %d not found through sperrips_pb2" % got)
        self.assertEqual(calls[-1].type, 231)
        self.assertTrue(calls[-1].isExitCall)
        self.assertEqual(len(calls), len(events))
        self.assertEqual(rec.metadata.number_of_syscalls, len(calls))
        # The first syscall is the one right after execve (no launcher calls).
        self.assertNotEqual(events[0]["name"], "execve")
        self.assertEqual(events[0]["name"], "brk")
