"""The prototype's evaluation in the container (issue 4): record in a
container, replay in a fresh container over the same root (equivalent, exit
0), and over roots changed the ways the prototype's attacks changed them
(DIFFERENT, exit 1)."""
import os
import shutil
import struct
import subprocess
import unittest

from helpers import SPERRIPS, run, show_text
from test_container import SKIP, ContainerCase, copy_root, debootstrap_root, tree


def why_no_replay():
    p = subprocess.run([SPERRIPS, "replay", "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    text = p.stdout.decode(errors="replace")
    if "replay" not in text:
        return "sperrips has no replay command yet"
    if "--rootfs" not in text:
        return "sperrips replay does not take --rootfs yet"
    return None


def elf_text_section(path):
    """(file offset, size) of the .text section of a 64-bit ELF file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError("%s: not a 64-bit ELF file" % path)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)

    def section(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)

    stroff = section(shstrndx)[4]
    for i in range(shnum):
        name, _, _, _, off, size = section(i)[:6]
        end = data.index(b"\0", stroff + name)
        if data[stroff + name:end] == b".text":
            return off, size
    raise ValueError("%s: no .text section" % path)


class ReplayCase(ContainerCase):
    @classmethod
    def setUpClass(cls):
        why = SKIP or why_no_replay()
        if why:
            raise unittest.SkipTest(why)
        super().setUpClass()

    def replay(self, rec_path, root=None, opts=(), name="d.bin"):
        out = os.path.join(self.tmp, name + ".out")
        diff = os.path.join(self.tmp, name)
        env = dict(os.environ, TMPDIR=self.tmp)
        p = run(["replay", "-i", rec_path, "-o", diff, "--rootfs", root or self.root, "--stdout", out] + list(opts),
                env=env)
        return p, diff

    def record_ok(self, argv, opts=()):
        p, path, out = self.rec(argv, opts)
        self.assertOk(p)
        return path

    def changed_root(self):
        """A private copy of the test root, to change."""
        root = copy_root(self.root, os.path.join(self.tmp, "root2"))
        self.addCleanup(shutil.rmtree, root, True)
        return root

    def assertVerdict(self, p, status, word):
        err = p.stderr.decode(errors="replace")
        self.assertEqual(p.returncode, status, err)
        self.assertIn(word, err)
        self.assertEqual(self.leftovers(), [])


class TestContainerReplaySame(ReplayCase):
    """Same root on both sides: the four jobs are equivalent."""

    def check_same(self, argv, opts=()):
        path = self.record_ok(argv, opts)
        p, diff = self.replay(path, opts=opts)
        self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))
        self.assertEqual(self.leftovers(), [])

    def test_cat(self):
        self.check_same(["/bin/cat", "/data/hello.txt"])

    def test_echo(self):
        self.check_same(["/bin/echo", "hello", "container"])

    def test_hostname(self):
        self.check_same(["/usr/bin/hostname"])

    def test_ping(self):
        # Random identifiers, clocks, local ports and recvmsg pointers are
        # acceptable differences, not alarms (the prototype's false alarms).
        # On the host's network a raw socket needs --net-raw (root).
        self.check_same(["/usr/bin/ping", "-c", "4", "127.0.0.1"], ["--net-raw"])

    def test_ping_net_none(self):
        self.check_same(["/usr/bin/ping", "-c", "4", "127.0.0.1"], ["--net=none"])


class TestContainerReplayUnprivileged(ReplayCase):
    """As an ordinary user (nobody): the four jobs record and replay
    equivalent; ping with --net=none, where the container's own network
    gives it raw sockets (the host's network cannot without root)."""

    NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if os.geteuid() != 0 or not shutil.which("setpriv") or subprocess.run(
                cls.NOBODY + ["unshare", "-U", "-r", "true"], stderr=subprocess.DEVNULL).returncode:
            raise unittest.SkipTest("needs root, setpriv and user namespaces for nobody")

    def nobody(self, args):
        os.chmod(self.tmp, 0o777)
        return subprocess.run(self.NOBODY + [SPERRIPS] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(os.environ, TMPDIR=self.tmp), timeout=120)

    def check_same(self, argv, expect, opts=()):
        rec, out = os.path.join(self.tmp, "r.bin"), os.path.join(self.tmp, "out")
        for f in (rec, out):
            if os.path.exists(f):
                os.unlink(f)
        p = self.nobody(["record", "-o", rec, "--rootfs", self.root, "--stdout", out] + list(opts) + ["--"] + argv)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"(exited with 0)", p.stderr)
        with open(out, "rb") as f:
            data = f.read()
        if isinstance(expect, bytes):
            self.assertEqual(data, expect)
        else:
            self.assertIn(expect[0], data)
        p = self.nobody(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--rootfs", self.root,
                         "--stdout", os.path.join(self.tmp, "replay.out")] + list(opts))
        self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))
        self.assertIn(b"compared): equivalent", p.stderr)
        self.assertEqual(self.leftovers(), [])

    def test_jobs(self):
        for argv, expect, opts in [
                (["/bin/cat", "/data/hello.txt"], b"hello from the lower layer\n", []),
                (["/bin/echo", "hello", "container"], b"hello container\n", []),
                (["/usr/bin/hostname"], b"sperrips\n", []),
                (["/usr/bin/ping", "-c", "2", "127.0.0.1"], [b"2 packets transmitted, 2 received"], ["--net=none"])]:
            with self.subTest(argv=argv):
                self.check_same(argv, expect, opts)


class TestContainerReplayChangedRoot(ReplayCase):
    """The replay system's root differs: DIFFERENT, exit 1."""

    def test_file_content_same_length(self):
        path = self.record_ok(["/bin/cat", "/data/hello.txt"])
        root = self.changed_root()
        with open(os.path.join(root, "data", "hello.txt"), "wb") as f:
            f.write(b"HELLO from the lower layer\n")
        p, diff = self.replay(path, root)
        self.assertVerdict(p, 1, "DIFFERENT")
        lines, _ = show_text(diff)
        # The read pair: what the file held when recorded, and now.
        self.assertTrue(any("recorded: read(" in line and "hello from" in line for line in lines), lines)
        self.assertTrue(any("replayed: read(" in line and "HELLO from" in line for line in lines), lines)

    def test_ping_is_another_binary(self):
        # The prototype's malicious kernel redirected execve; here the file
        # system hands the program another binary under the same name.
        path = self.record_ok(["/usr/bin/ping", "-c", "4", "127.0.0.1"])
        root = self.changed_root()
        ping = os.path.join(root, "usr", "bin", "ping")
        os.unlink(ping)
        shutil.copy2(os.path.join(root, "usr", "bin", "busybox"), ping)
        p, diff = self.replay(path, root)
        self.assertVerdict(p, 1, "DIFFERENT")

    def test_ld_so_preload(self):
        path = self.record_ok(["/bin/cat", "/data/hello.txt"])
        root = self.changed_root()
        with open(os.path.join(root, "etc", "ld.so.preload"), "w") as f:
            f.write("/usr/lib/x86_64-linux-gnu/libcap.so.2\n")
        p, diff = self.replay(path, root)
        self.assertVerdict(p, 1, "DIFFERENT")

    def test_libc_one_byte_of_code(self):
        path = self.record_ok(["/bin/cat", "/data/hello.txt"])
        root = self.changed_root()
        libc = os.path.join(root, "usr", "lib", "x86_64-linux-gnu", "libc.so.6")
        off, size = elf_text_section(libc)
        # Near the end of .text: code cat does not run, so only the mapped
        # bytes tell the two libcs apart.
        pos = off + size - 64
        with open(libc, "r+b") as f:
            f.seek(pos)
            b = f.read(1)
            f.seek(pos)
            f.write(bytes([b[0] ^ 0xFF]))
        p, diff = self.replay(path, root)
        self.assertVerdict(p, 1, "DIFFERENT")



@unittest.skipUnless(os.environ.get("SPERRIPS_SLOW") == "1", "set SPERRIPS_SLOW=1 for the debootstrap root")
class TestContainerReplayDebootstrap(ReplayCase):
    """The prototype's four jobs over a Debian minbase root (sperrips rootfs)."""

    @classmethod
    def setUpClass(cls):
        why = SKIP or why_no_replay()
        if why:
            raise unittest.SkipTest(why)
        if os.geteuid() != 0 or not shutil.which("debootstrap", path="/usr/sbin:/usr/bin:/sbin:/bin"):
            raise unittest.SkipTest("needs root and debootstrap")
        cls.root = debootstrap_root()
        cls.root_tree = tree(cls.root)

    def test_jobs_equivalent(self):
        for argv in (["/bin/cat", "/etc/debian_version"], ["/bin/echo", "Hello world!"], ["/bin/hostname"],
                     ["/usr/bin/ping", "-c", "4", "127.0.0.1"]):
            with self.subTest(argv=argv):
                opts = ["--net-raw"] if "ping" in argv[0] else []
                path = self.record_ok(argv, opts)
                p, diff = self.replay(path, opts=opts)
                self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))


if __name__ == "__main__":
    unittest.main()
