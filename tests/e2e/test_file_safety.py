"""Issue 8, bounded reading: show and replay use memory proportional to the
largest single record, whatever the file's size or contents. A record over
16 MiB, or one whose unpacking would take over 20 MiB, is refused with one
line naming its offset (exit 3); replay reads every record once before it
starts anything; a differences file cut before its final verdict is
incomplete."""
import json
import os
import subprocess

from helpers import (SPERRIPS, TmpTestCase, plain_bytes, read_pb, record, run, sanitized, top_fields, tracee, varint,
                     wait_rusage)

MiB = 1 << 20


def field(tag, body):
    return bytes([tag]) + varint(len(body)) + body


def empty_args_syscall(n):
    """A Syscall (getpid) whose entry ArgumentList holds n empty Arguments:
    2 bytes each on the wire, about 100 once unpacked."""
    return b"\x08\x27" + field(0x12, b"\x0a\x00" * n)


class HostileFiles(TmpTestCase):
    """Files built to blow up a reader: a 40 MB recording, a 60 MB
    differences file. Peak RSS measured by build/tracees/maxrss (wait4)."""

    def setUp(self):
        super().setUp()
        p, path = record(self.tmp, ["/bin/true"], out_name="true.bin")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.meta = field(0x0A, read_pb(path).metadata.SerializeToString())

    def write(self, name, item, total, head=b""):
        """head, then `item` over and over up to `total` bytes, then the
        metadata (a recording's, of /bin/true)."""
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(head)
            size = 0
            while size < total:
                f.write(item)
                size += len(item)
            f.write(self.meta)
        return path

    def measure(self, args):
        """(exit status, stderr lines, peak RSS in KiB) of sperrips ARGS."""
        p = subprocess.Popen([tracee("maxrss"), SPERRIPS] + args, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        rc, _ = wait_rusage(p, timeout=300)
        err = p.stderr.read().decode(errors="replace").splitlines()
        p.stderr.close()
        self.assertEqual(err[-1].split()[0], "maxrss_kib", err)
        return rc, err[:-1], int(err[-1].split()[1])

    def check(self, path, says, replay_says=None):
        """show, show --json and replay: under 64 MiB, one line, exit 3."""
        for args in (["show", path], ["show", "--json", path],
                     ["replay", "-i", path, "-o", path + ".d", "--stdout", "/dev/null"]):
            rc, err, kib = self.measure(args)
            print("    %s %s (%d MB): exit %d, peak RSS %d KiB" % (args[0], os.path.basename(path),
                                                               os.path.getsize(path) // 1000000, rc, kib))
            if not sanitized():
                self.assertLess(kib, 64 * 1024, args)
            self.assertEqual(rc, 3, (args, err))
            self.assertEqual(len(err), 1, (args, err))
            want = replay_says if args[0] == "replay" else says
            self.assertEqual(err[0], want, args)
            if args[0] == "replay":
                self.assertFalse(os.path.exists(path + ".d"), "replay started")

    def test_one_40mb_record_is_refused(self):
        path = self.write("one.bin", field(0x12, empty_args_syscall(20 * MiB)), 1)
        msg = "%s: record at byte 0 is 41943047 bytes, more than the 16 MiB a record may have (refused)" % path
        self.check(path, "sperrips: " + msg, "sperrips: cannot replay: " + msg)

    def test_40mb_of_records_too_costly_to_unpack(self):
        # 12 MiB on the wire each (under the 16 MiB cap), 600 MiB unpacked.
        item = field(0x12, empty_args_syscall(6 * MiB))
        path = self.write("mid.bin", item, 40 * MiB)
        msg = "item at byte 0 needs more than 20 MiB of memory to read (refused)"
        self.check(path, "sperrips: %s: %s (after 0 syscalls)" % (path, msg),
                   "sperrips: cannot replay %s: %s" % (path, msg))

    def test_40mb_of_small_hostile_records(self):
        # Each one unpacks within the limit: all of them are read, one at a time.
        item = field(0x12, empty_args_syscall(32 * 1024))
        path = self.write("small.bin", item, 40 * MiB)
        n = (40 * MiB + len(item) - 1) // len(item)
        rc, err, kib = self.measure(["show", "-c", path])
        print("    show -c small.bin: exit %d, peak RSS %d KiB" % (rc, kib))
        self.assertEqual(rc, 0, err)
        if not sanitized():
            self.assertLess(kib, 64 * 1024)
        out = run(["show", "-c", path]).stdout.decode().splitlines()
        self.assertEqual(out[2].split(), [str(n), "getpid"])
        # replay reads it all once before it runs (valid records), then the
        # program (/bin/true, per the metadata) diverges at its first call.
        d = os.path.join(self.tmp, "small.d")
        rc, err, kib = self.measure(["replay", "-i", path, "-o", d, "--stdout", "/dev/null"])
        print("    replay small.bin: exit %d, peak RSS %d KiB" % (rc, kib))
        self.assertEqual(rc, 1, err)
        self.assertIn("the executions diverged at recorded syscall #0, after 0 matching syscalls", "\n".join(err))
        if not sanitized():
            self.assertLess(kib, 64 * 1024)

    def test_60mb_differences_file(self):
        pair = field(0x12, field(0x0A, empty_args_syscall(6 * MiB)) + field(0x12, b"\x08\x27"))
        path = self.write("d.bin", pair, 60 * MiB, head=b"\x18\x00")
        self.check(path, "sperrips: %s: item at byte 2 needs more than 20 MiB of memory to read (refused) "
                   "(after 0 syscalls)" % path,
                   "sperrips: cannot replay %s: it is a differences file, not a recording" % path)

    def test_60mb_differences_file_cut_short(self):
        # Small valid pairs, then cut inside one: read to the last whole pair.
        pair = field(0x12, field(0x0A, b"\x08\x27") + field(0x12, b"\x08\x27") + b"\x80\x01\x07")
        path = os.path.join(self.tmp, "cut.bin")
        n = 60 * MiB // len(pair)
        with open(path, "wb") as f:
            f.write(b"\x18\x00")
            f.write(pair * n)
            f.write(pair[:len(pair) // 2])
        rc, err, kib = self.measure(["show", "-c", path])
        print("    show -c cut.bin (60 MB): exit %d, peak RSS %d KiB" % (rc, kib))
        if not sanitized():
            self.assertLess(kib, 64 * 1024)
        self.assertEqual(rc, 3, err)
        self.assertEqual(err, ["sperrips: %s: incomplete: cut short inside item %d at byte %d (%d of %d bytes); "
                               "shown up to the last complete syscall (%d)"
                               % (path, n + 1, 2 + n * len(pair), len(pair) // 2 - 2, len(pair) - 2, n)])


class BadItems(TmpTestCase):
    def test_replay_checks_every_item_before_running(self):
        marker = os.path.join(self.tmp, "marker")
        p, path = record(self.tmp, ["/usr/bin/touch", marker])
        self.assertEqual(p.returncode, 0, p.stderr)
        os.unlink(marker)
        data = plain_bytes(path)
        # After the first syscall, an item that does not parse.
        first_end = [e for e in top_fields(data) if e[0] == 0x12][0][3]
        bad = path + ".bad"
        with open(bad, "wb") as f:
            f.write(data[:first_end] + field(0x12, b"\xff\xff\xff") + data[first_end:])
        q = run(["replay", "-i", bad, "-o", os.path.join(self.tmp, "d.bin")])
        self.assertEqual(q.returncode, 3, q.stderr)
        self.assertEqual(q.stderr.decode(),
                         "sperrips: cannot replay %s: item at byte %d does not parse\n" % (bad, first_end))
        self.assertFalse(os.path.exists(marker), "the program ran")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "d.bin")))

    def test_differences_cut_before_the_verdict(self):
        p, path = record(self.tmp, ["/bin/true"])
        self.assertEqual(p.returncode, 0, p.stderr)
        d = os.path.join(self.tmp, "d.bin")
        q = run(["replay", "-i", path, "-o", d])
        self.assertEqual(q.returncode, 0, q.stderr)
        with open(d, "rb") as f:
            data = f.read()
        self.assertEqual(data[-2], 0x18)  # the verdict: the equal field, last
        s = run(["show", "--json", d])
        self.assertEqual(s.returncode, 0, s.stderr)
        pairs = json.loads(s.stdout.decode().splitlines()[0])["count"]
        cut = self.tmpfile("cut.bin", data[:-2])
        s = run(["show", cut])
        self.assertEqual(s.returncode, 3, s.stderr)
        self.assertEqual(s.stderr.decode(), "sperrips: %s: incomplete: cut short before its final verdict "
                         "(the equal field); shown up to the last complete syscall (%d)\n" % (cut, pairs))
