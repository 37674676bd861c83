"""Issue 12, header first and no seeks: a recording starts with its
metadata header (the command, argv, environment, stdin, settings, the
machine) and ends with a trailer (counts, end status); protobuf merges the
two, so the Python reader generated from our .proto reads it as one
Metadata. show and replay read their input as a stream: from a pipe
(`show -`, `replay -i -`) or a FIFO, with no seek on it."""
import os
import shutil
import subprocess
import threading

from helpers import (ORIGIN_NOTE, SPERRIPS, ZSTD_MAGIC, TmpTestCase, _varint, plain_bytes, read_pb, read_pb_prefix,
                     record, run, sanitized, sperrips_pb2, top_fields, tracee, varint)


def fields_of(data):
    """(tag, body) of each top-level field; a varint field's value as its body."""
    return [(tag, _varint(data, start + len(varint(tag)))[0] if tag & 7 == 0 else data[body:end])
            for tag, start, body, end in top_fields(data)]


class Header(TmpTestCase):
    def test_metadata_first_and_last_merge(self):
        inp = self.tmpfile("in.txt", b"abc\n")
        p, path = record(self.tmp, [tracee("files"), inp], ["--env", "A=1", "--stdin", "hello"],
                         stdout=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        fields = fields_of(plain_bytes(path))
        tags = [t for t, _ in fields]
        self.assertEqual(tags[0], 0x0A)
        self.assertEqual(tags[-1], 0x0A)
        self.assertEqual(tags.count(0x0A), 2)
        head = sperrips_pb2.Metadata.FromString(fields[0][1])
        self.assertEqual(list(head.command.argv), [tracee("files"), inp])
        self.assertEqual(list(head.command.env), ["A=1"])
        self.assertEqual(head.command.stdin_bytes, b"hello")
        self.assertEqual(head.sysinfo.release, os.uname().release)
        self.assertEqual(head.number_of_syscalls, 0)
        self.assertEqual(len(head.aslrInfo.ranges), 0)
        self.assertEqual(head.metadata_part, 1)
        tail = sperrips_pb2.Metadata.FromString(fields[-1][1])
        self.assertFalse(tail.HasField("command"))
        self.assertEqual(tail.metadata_part, 2)
        # The whole file through the generated Python classes: one Metadata.
        rec = read_pb(path)
        self.assertEqual(list(rec.metadata.command.argv), [tracee("files"), inp])
        self.assertEqual(list(rec.metadata.command.env), ["A=1"])
        self.assertEqual(rec.metadata.number_of_syscalls, len(rec.syscall))
        self.assertGreater(len(rec.metadata.aslrInfo.ranges), 0)
        self.assertEqual(len(rec.metadata.aslrInfo.ranges), len(tail.aslrInfo.ranges))
        self.assertEqual(rec.metadata.metadata_part, 2)
        # And ours: the same metadata.
        js = run(["show", "--json", path])
        self.assertEqual(js.returncode, 0, js.stderr)
        import json
        meta = json.loads(js.stdout.decode().splitlines()[0])
        self.assertEqual(meta["argv"], [tracee("files"), inp])
        self.assertEqual(meta["number_of_syscalls"], len(rec.syscall))
        self.assertEqual(meta["count"], len(rec.syscall))
        self.assertEqual(meta["memory_ranges"], len(rec.metadata.aslrInfo.ranges))
        self.assertEqual(meta["stdin_hex"], b"hello".hex())

    def test_cut_before_the_trailer_is_incomplete(self):
        p, path = record(self.tmp, ["/bin/true"], ["--no-compress"])
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(path, "rb") as f:
            data = f.read()
        last = data.rfind(b"\x0a", 0, len(data))
        # the trailer is the last field: cut exactly before it
        size = 0
        for tag, body in fields_of(data)[:-1]:
            size += 1 + len(varint(len(body))) + len(body) if tag != 0x1E2 else \
                2 + len(varint(len(body))) + len(body)
        self.assertEqual(data[size], 0x0A, last)
        cut = self.tmpfile("cut.bin", data[:size])
        s = run(["show", cut])
        self.assertEqual(s.returncode, 3)
        self.assertIn("incomplete: no trailer, only the header (the recorder stopped before finishing the file)",
                      s.stderr.decode())
        self.assertIn('# command: "/bin/true"', s.stdout.decode())
        q = run(["replay", "-i", cut, "-o", os.path.join(self.tmp, "d.bin")])
        self.assertEqual(q.returncode, 3)
        self.assertEqual(q.stderr.decode(), "sperrips: cannot replay %s: the recording is incomplete (no trailer, "
                         "only the header (the recorder stopped before finishing the file))\n" % cut)
        calls, meta, _ = read_pb_prefix(cut)
        self.assertEqual(list(meta.command.argv), ["/bin/true"])


class Stream(TmpTestCase):
    """A recording as record writes it by default (zstd frames): through
    a pipe and a FIFO; StreamPlain below, the same with --no-compress."""
    record_opts = []
    compressed = True

    def setUp(self):
        super().setUp()
        p, self.path = record(self.tmp, ["/bin/cat", "/etc/hostname"],
                              ["--stdout", "/dev/null", "--stderr", "/dev/null"] + self.record_opts)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path, "rb") as f:
            self.data = f.read()
        self.assertEqual(self.data.startswith(ZSTD_MAGIC), self.compressed)

    def fifo(self):
        """A FIFO fed with the recording by a thread."""
        path = os.path.join(self.tmp, "fifo")
        if os.path.exists(path):
            os.unlink(path)
        os.mkfifo(path)

        def feed():
            with open(path, "wb") as f:
                f.write(self.data)
        t = threading.Thread(target=feed, daemon=True)
        t.start()
        self.addCleanup(t.join, 10)
        return path

    def test_show_from_a_pipe_and_a_fifo(self):
        for opts in ([], ["--json"], ["-c"]):
            want = run(["show"] + opts + [self.path])
            self.assertEqual(want.returncode, 0, want.stderr)
            self.assertGreater(len(want.stdout.decode().splitlines()), 10)
            piped = run(["show"] + opts + ["-"], stdin=None, input=self.data)
            self.assertEqual((piped.returncode, piped.stderr), (0, b""))
            self.assertEqual(piped.stdout, want.stdout, opts)
            fifo = run(["show"] + opts + [self.fifo()])
            self.assertEqual((fifo.returncode, fifo.stderr), (0, b""))
            self.assertEqual(fifo.stdout, want.stdout, opts)

    def test_show_makes_no_seek_on_its_input(self):
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")
        if sanitized():
            self.skipTest("LeakSanitizer does not work under ptrace (strace)")
        for src in (self.path, self.fifo()):
            log = os.path.join(self.tmp, "strace.log")
            p = subprocess.run(["strace", "-f", "-y", "-e", "trace=lseek,pread64,preadv,preadv2,openat", "-o", log,
                                SPERRIPS, "show", src], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(log) as f:
                lines = f.read().splitlines()
            self.assertTrue(any("openat(" in l and src in l for l in lines), lines)
            on_input = [l for l in lines if "<%s>" % src in l and "openat(" not in l]
            self.assertEqual(on_input, [], "calls on the input other than read")
            # Its one seek of its own is on its temporary listing (libc's
            # time zone file aside).
            seeks = [l for l in lines if "lseek(" in l and "/usr/share/zoneinfo/" not in l]
            self.assertEqual(len(seeks), 1, seeks)
            self.assertRegex(seeks[0], r"lseek\(\d+</tmp/#\d+>\(deleted\), 0, SEEK_SET\) = 0$")

    def replay(self, args, **kw):
        d = os.path.join(self.tmp, "d.bin")
        if os.path.exists(d):
            os.unlink(d)
        p = run(["replay"] + args + ["-o", d, "--stdout", "/dev/null", "--stderr", "/dev/null"], **kw)
        return p, d

    def test_replay_from_a_pipe_and_a_fifo(self):
        want, d = self.replay(["-i", self.path])
        self.assertEqual(want.returncode, 0, want.stderr)
        note, command, verdict = want.stderr.decode().splitlines()[:3]
        self.assertEqual(note, ORIGIN_NOTE)
        self.assertTrue(command.startswith("sperrips: replaying /bin/cat /etc/hostname "), command)
        self.assertRegex(verdict, r"\((\d+) of \1 recorded syscalls compared\): (identical|equivalent)")
        want_pairs = run(["show", d]).stdout.decode().splitlines()
        for args, kw in ((["-i", "-"], {"stdin": None, "input": self.data}), (["-i", self.fifo()], {})):
            p, d = self.replay(args, **kw)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stderr.decode().splitlines()[:3], [note, command, verdict])
            pairs = run(["show", d]).stdout.decode().splitlines()
            # the same pairs (the replayed values are this run's own pids and random bytes)
            def kept(lines):
                return [l for l in lines if l.startswith(("  recorded:", "  - ", "#1", "#2", "#3", "#4"))]
            self.assertEqual(kept(pairs), kept(want_pairs))
            self.assertGreater(len(kept(pairs)), 2)

    def test_previous_layout_from_a_pipe(self):
        # The layout of the previous writer (and of the prototype's
        # recordings): the syscalls, then the whole metadata once, last.
        rec = read_pb(self.path)
        meta = sperrips_pb2.Metadata()
        meta.CopyFrom(rec.metadata)
        meta.ClearField("metadata_part")
        old = bytearray()
        for c in rec.syscall:
            body = c.SerializeToString()
            old += b"\x12" + varint(len(body)) + body
        body = meta.SerializeToString()
        old += b"\x0a" + varint(len(body)) + body
        path = self.tmpfile("old.bin", bytes(old))
        want = run(["show", "--json", self.path]).stdout.decode().splitlines()
        got = run(["show", "--json", "-"], stdin=None, input=bytes(old))
        self.assertEqual((got.returncode, got.stderr), (0, b""))
        # The same metadata and syscalls (the thread-end records are left out here).
        lines = got.stdout.decode().splitlines()
        self.assertEqual(lines[0], want[0])
        self.assertEqual(lines[1:], [l for l in want[1:] if '"name":' in l])
        self.assertGreater(len(lines), 40)
        p, d = self.replay(["-i", "-"], stdin=None, input=bytes(old))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr.decode().splitlines()[0], ORIGIN_NOTE)
        self.assertRegex(p.stderr.decode().splitlines()[2], r"\((\d+) of \1 recorded syscalls compared\)")
        self.assertTrue(os.path.exists(path))

    def test_replay_of_a_cut_pipe_runs_nothing(self):
        marker = os.path.join(self.tmp, "marker")
        p, path = record(self.tmp, ["/usr/bin/touch", marker], self.record_opts, out_name="t.bin")
        self.assertEqual(p.returncode, 0, p.stderr)
        os.unlink(marker)
        with open(path, "rb") as f:
            data = f.read()
        q, d = self.replay(["-i", "-"], stdin=None, input=data[:len(data) // 2])
        self.assertEqual(q.returncode, 3)
        self.assertIn("sperrips: cannot replay (standard input): the recording is incomplete (cut short inside",
                      q.stderr.decode())
        self.assertFalse(os.path.exists(marker), "the program ran")


class StreamPlain(Stream):
    record_opts = ["--no-compress"]
    compressed = False
