"""Compressed recordings (issue 12): record writes zstd frames by default,
a compressed file is exactly the plain stream cut into frames (`zstd -dc`
gives a plain recording the Python reader generated from our .proto
reads), show and replay read both alike, a file cut inside a frame reads
to the end of what was decoded and says so, a corrupt one is a one-line
error. The size targets of issue 12 ("done when" 1)."""
import os
import subprocess

from helpers import ZSTD_MAGIC, TmpTestCase, plain_bytes, read_pb, record, run, sperrips_pb2, tracee

KiB = 1 << 10
MiB = 1 << 20


def is_event_line(line):
    """A syscall, signal or thread end in `show` text (not the # header)."""
    return bool(line) and not line.startswith("#")


def zstd_dc(path, out):
    """`zstd -dc path > out`; what zstd decoded even if the input is cut."""
    with open(out, "wb") as f:
        p = subprocess.run(["zstd", "-dcq", path], stdout=f, stderr=subprocess.PIPE)
    return p


class Compressed(TmpTestCase):
    def record(self, argv, opts=(), name="r.bin"):
        p, path = record(self.tmp, argv, list(opts), out_name=name, stdout=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        return path

    def replay(self, path, name="d.bin"):
        d = os.path.join(self.tmp, name)
        return run(["replay", "-i", path, "-o", d], stdout=subprocess.DEVNULL), d

    def test_zstd_dc_gives_the_plain_recording(self):
        path = self.record(["/bin/cat", "/etc/hostname"])
        with open(path, "rb") as f:
            self.assertEqual(f.read(4), ZSTD_MAGIC)
        plain = os.path.join(self.tmp, "plain.bin")
        self.assertEqual(zstd_dc(path, plain).returncode, 0)
        with open(plain, "rb") as f:
            data = f.read()
        self.assertEqual(data[0], 0x0A)  # the metadata header, as --no-compress writes it
        # show of both, exactly the same text and JSON lines
        for opts in ([], ["--json"], ["-f"], ["-c"]):
            a = run(["show"] + opts + [path])
            b = run(["show"] + opts + [plain])
            self.assertEqual((a.returncode, a.stderr), (0, b""), opts)
            self.assertEqual(a.stdout, b.stdout, opts)
        self.assertGreater(len([l for l in a.stdout.decode().splitlines()]), 5)
        # the Python reader generated from proto/sperrips.proto reads the plain stream
        rec = sperrips_pb2.Recording.FromString(data)
        self.assertEqual(list(rec.metadata.command.argv), ["/bin/cat", "/etc/hostname"])
        self.assertEqual(rec.metadata.number_of_syscalls, len(rec.syscall))
        self.assertEqual(rec.metadata.metadata_part, 2)
        text = run(["show", path]).stdout.decode().splitlines()
        self.assertEqual(len([l for l in text if is_event_line(l)]), len(rec.syscall) + len(rec.signal))
        # and the plain file replays like the compressed one
        q, _ = self.replay(plain)
        self.assertEqual(q.returncode, 0, q.stderr)

    def test_sizes_of_issue_12_and_replay(self):
        # "done when" 1: cat /etc/hostname <= 64 KiB, ls -la /usr/bin <= 1 MiB
        for argv, limit in ((["/bin/cat", "/etc/hostname"], 64 * KiB), (["/bin/ls", "-la", "/usr/bin"], MiB)):
            path = self.record(argv, name="size.bin")
            size = os.path.getsize(path)
            self.assertLessEqual(size, limit, (argv, size))
            plain = len(plain_bytes(path))
            self.assertLess(size * 2, plain, (argv, size, plain))  # compressed well
            q, _ = self.replay(path)
            self.assertEqual(q.returncode, 0, q.stderr)
            self.assertRegex([l for l in q.stderr.decode().splitlines() if "replay of job" in l][0],
                             r"\((\d+) of \1 recorded syscalls compared\): (identical|equivalent)")

    def test_options(self):
        plain = self.record(["/bin/true"], ["--no-compress"], name="p.bin")
        with open(plain, "rb") as f:
            self.assertEqual(f.read(1), b"\x0a")
        for level in ("1", "19"):
            path = self.record(["/bin/true"], ["--compress=" + level], name="z%s.bin" % level)
            with open(path, "rb") as f:
                self.assertEqual(f.read(4), ZSTD_MAGIC)
        # the last one given wins
        path = self.record(["/bin/true"], ["--no-compress", "--compress"], name="z.bin")
        with open(path, "rb") as f:
            self.assertEqual(f.read(4), ZSTD_MAGIC)
        for bad in ("0", "20", "abc", "", "3x"):
            p = run(["record", "--compress=" + bad, "-o", os.path.join(self.tmp, "x.bin"), "--", "/bin/true"])
            self.assertEqual(p.returncode, 2)
            self.assertEqual(p.stderr.decode(), "sperrips: --compress=%s: expected a zstd level from 1 to 19 "
                             "(see sperrips --help)\n" % bad)
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "x.bin")))

    def test_differences_file_is_plain(self):
        path = self.record(["/bin/cat", "/etc/hostname"])
        q, d = self.replay(path)
        self.assertEqual(q.returncode, 0, q.stderr)
        with open(d, "rb") as f:
            self.assertNotEqual(f.read(4), ZSTD_MAGIC)
        s = run(["show", d])
        self.assertEqual(s.returncode, 0, s.stderr)

    def test_cut_inside_the_last_frame(self):
        # ls -la /usr/bin: a header frame, then a frame per MiB of records
        path = self.record(["/bin/ls", "-la", "/usr/bin"])
        with open(path, "rb") as f:
            data = f.read()
        self.assertGreater(data.count(ZSTD_MAGIC), 2)
        whole = run(["show", path]).stdout.decode().splitlines()
        for cut_at in (len(data) - 5, len(data) - 3000, data.rfind(ZSTD_MAGIC) + 2):
            cut = self.tmpfile("cut.bin", data[:cut_at])
            s = run(["show", cut])
            self.assertEqual(s.returncode, 3)
            err = s.stderr.decode()
            self.assertEqual(len(err.splitlines()), 1, err)
            self.assertRegex(err, r"^sperrips: %s: incomplete: cut short inside compressed frame \d+ \(at byte \d+ "
                             r"of the file, which ends at byte %d\)" % (cut, cut_at))
            # what is listed is what zstd itself decodes of the cut file
            plain = os.path.join(self.tmp, "cut-plain.bin")
            zstd_dc(cut, plain)
            want = [l for l in run(["show", plain]).stdout.decode().splitlines() if is_event_line(l)]
            got = [l for l in s.stdout.decode().splitlines() if is_event_line(l)]
            self.assertEqual(got, want)
            self.assertGreater(len(got), 100)
            self.assertEqual(got, [l for l in whole if is_event_line(l)][:len(got)])
            r, _ = self.replay(cut)
            self.assertEqual(r.returncode, 3)
            self.assertRegex(r.stderr.decode(), r"^sperrips: cannot replay %s: the recording is incomplete \(cut "
                             r"short inside compressed frame \d+ " % cut)
        # cut inside the header's frame: what it holds so far (zstd hands
        # on a stored block's bytes as they come), one line
        cut = self.tmpfile("cut.bin", data[:20])
        s = run(["show", cut])
        self.assertEqual(s.returncode, 3)
        self.assertEqual(s.stdout.decode(), "# recording without metadata\n")
        self.assertEqual(s.stderr.decode(), "sperrips: %s: incomplete: cut short inside compressed frame 1 (at byte 0 "
                         "of the file, which ends at byte 20); shown up to the last complete syscall (0)\n" % cut)
        # cut inside the frame header: nothing decoded at all
        cut = self.tmpfile("cut.bin", data[:8])
        s = run(["show", cut])
        self.assertEqual(s.returncode, 3)
        self.assertEqual(s.stderr.decode(), "sperrips: %s: incomplete recording: cut short inside compressed frame 1 "
                         "(at byte 0 of the file, which ends at byte 8), before its first complete field\n" % cut)

    def test_corrupt_frames(self):
        path = self.record(["/bin/ls", "-la", "/usr/bin"])
        with open(path, "rb") as f:
            data = bytearray(f.read())
        # the second frame's magic number
        second = data.find(ZSTD_MAGIC, 4)
        bad = bytearray(data)
        bad[second] ^= 0xFF
        p = self.tmpfile("bad.bin", bytes(bad))
        s = run(["show", p])
        self.assertEqual(s.returncode, 3)
        self.assertEqual(s.stderr.decode().splitlines()[-1],
                         "sperrips: %s: compressed frame 2 at byte %d of the file is corrupt (Unknown frame "
                         "descriptor)" % (p, second))
        r, _ = self.replay(p)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(r.stderr.decode(), "sperrips: cannot replay: %s: compressed frame 2 at byte %d of the file "
                         "is corrupt (Unknown frame descriptor)\n" % (p, second))
        # bytes changed all over the last frame: an error, never a crash
        last = data.rfind(ZSTD_MAGIC)
        for k in range(last + 16, len(data), 97):
            data[k] ^= 0x5A
        p = self.tmpfile("bad2.bin", bytes(data))
        for args in (["show", p], ["show", "--json", p], ["replay", "-i", p, "-o", os.path.join(self.tmp, "d.bin")]):
            s = run(args, stdout=subprocess.DEVNULL)
            self.assertEqual(s.returncode, 3, args)
            self.assertOneLineError(s)

    def test_huge_window_is_refused(self):
        # a frame asking for a 1 GiB window; a single-segment one declaring 1 TiB
        for frame in (ZSTD_MAGIC + bytes([0x00, 20 << 3, 1, 0, 0]),
                      ZSTD_MAGIC + bytes([0xE0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0])):
            p = self.tmpfile("huge.bin", frame)
            s = run(["show", p])
            self.assertEqual(s.returncode, 3)
            self.assertEqual(s.stderr.decode(), "sperrips: %s: compressed frame 1 at byte 0 of the file needs more "
                             "than 16 MiB of memory to decompress (refused)\n" % p)

    def test_previous_recordings_read_compressed_by_zstd(self):
        # a plain recording compressed by the zstd tool reads as it is
        plain = self.record([tracee("files"), "/etc/hostname"], ["--no-compress"], name="p.bin")
        z = os.path.join(self.tmp, "p.bin.zst")
        subprocess.run(["zstd", "-q", "-19", plain, "-o", z], check=True)
        a = run(["show", "--json", plain])
        b = run(["show", "--json", z])
        self.assertEqual((b.returncode, b.stderr), (0, b""))
        self.assertEqual(a.stdout, b.stdout)
        self.assertEqual(list(read_pb(z).metadata.command.argv), [tracee("files"), "/etc/hostname"])
