"""Bytes moved inside the kernel (issue 9, blind spot 11): GNU cat to a file
(copy_file_range), busybox cat (sendfile) and python's shutil.copyfile
(sendfile) never pass a file's bytes through the program's memory. They are
read again from the source, recorded, and compared on replay: a changed
file is DIFFERENT, named by the call that moved it."""
import os
import shutil

from helpers import TmpTestCase, record, run

ORIGINAL = b"the moved bytes\n"
CHANGED = b"the MOVED bytes\n"


class MovedBytes(TmpTestCase):
    def check(self, argv, call, opts=(), stdout_name="out.txt"):
        src = self.tmpfile("src.txt", ORIGINAL)
        argv = [a.replace("SRC", src).replace("DST", os.path.join(self.tmp, "dst.txt")) for a in argv]
        out = os.path.join(self.tmp, stdout_name)
        p, rec = record(self.tmp, argv, ["--stdout", out] + list(opts))
        self.assertEqual(p.returncode, 0, p.stderr)
        dst = os.path.join(self.tmp, "dst.txt")
        # unchanged: equivalent (in the same setting: the copy not made yet)
        if os.path.exists(dst):
            os.unlink(dst)
        r = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d1.bin"), "--stdout", out + ".1"])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(src, "wb") as f:
            f.write(CHANGED)
        if os.path.exists(dst):
            os.unlink(dst)
        r = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d2.bin"), "--stdout", out + ".2"])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr.decode(),
                         r"#\d+ %s\(\d+<[^>]+>, \.\.\.\) moved bytes differ at byte 4: "
                         r'"the moved bytes\\n" vs "the MOVED bytes\\n" \[UNEXPECTED_MEMORY_CONTENT\]' % call)

    def test_gnu_cat_to_a_file(self):
        self.check(["/bin/cat", "SRC"], "copy_file_range")

    def test_busybox_cat(self):
        busybox = shutil.which("busybox") or "/bin/busybox"
        if not os.path.exists(busybox):
            self.skipTest("busybox not installed")
        self.check([busybox, "cat", "SRC"], "sendfile")

    def test_python_shutil_copyfile(self):
        self.check(["/usr/bin/python3", "-S", "-c", "import shutil; shutil.copyfile('SRC', 'DST')"], "sendfile")
