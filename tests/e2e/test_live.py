"""Live verification (issue 14): `serve` in one network namespace,
`record --to` in another, joined by a veth pair. The verifier whose root
has one changed file runs in a mount namespace of its own where the file
is bind-mounted over by another one: same machine, other bytes."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from helpers import SPERRIPS, run

CLEAN = b"the clean file\n"
EVIL = b"the evil file!\n"
OTHER = b"an unchanged file\n"


def ip(*args):
    return subprocess.run(["ip"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)


def fingerprint(pub):
    with open(pub) as f:
        return f.read().split()[1][:16]


class Live(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.netns = []
        cls.serves = []
        if os.geteuid() != 0:
            raise unittest.SkipTest("network namespaces need root")
        if not shutil.which("ip") or not shutil.which("unshare"):
            raise unittest.SkipTest("needs ip (iproute2) and unshare")
        n = os.getpid() % 100000
        cls.nsA, cls.nsB = "sprA%d" % n, "sprB%d" % n
        for ns in (cls.nsA, cls.nsB):
            p = ip("netns", "add", ns)
            if p.returncode != 0:
                cls.tearDownClass()
                raise unittest.SkipTest("cannot create a network namespace: %s" % p.stderr.decode().strip())
            cls.netns.append(ns)
        oct3 = 100 + n % 150
        cls.addrA, cls.addrB = "10.213.%d.1" % oct3, "10.213.%d.2" % oct3
        steps = [
            ["link", "add", "vA%d" % n, "netns", cls.nsA, "type", "veth", "peer", "name", "vB%d" % n, "netns", cls.nsB],
            ["-n", cls.nsA, "addr", "add", cls.addrA + "/24", "dev", "vA%d" % n],
            ["-n", cls.nsB, "addr", "add", cls.addrB + "/24", "dev", "vB%d" % n],
            ["-n", cls.nsA, "link", "set", "vA%d" % n, "up"],
            ["-n", cls.nsB, "link", "set", "vB%d" % n, "up"],
            ["-n", cls.nsA, "link", "set", "lo", "up"],
            ["-n", cls.nsB, "link", "set", "lo", "up"],
        ]
        for s in steps:
            p = ip(*s)
            if p.returncode != 0:
                cls.tearDownClass()
                raise unittest.SkipTest("cannot join the namespaces by a veth pair: %s" % p.stderr.decode().strip())
        cls.tmp = tempfile.mkdtemp(prefix="sperrips-live-")
        cls.data = os.path.join(cls.tmp, "data")
        os.mkdir(cls.data)
        for name, text in (("f.txt", CLEAN), ("g.txt", OTHER), ("evil.txt", EVIL)):
            with open(os.path.join(cls.tmp if name == "evil.txt" else cls.data, name), "wb") as f:
                f.write(text)
        for name in ("srv", "rec", "stranger"):
            p = run(["keygen", os.path.join(cls.tmp, name)])
            assert p.returncode == 0, p.stderr
        cls.key = lambda c, name: os.path.join(c.tmp, name)
        cls.srv_fp = fingerprint(os.path.join(cls.tmp, "srv.pub"))
        # the clean verifier, and the one whose f.txt is the evil one
        try:
            cls.clean = cls.start_serve("clean", 7701)
            cls.evil = cls.start_serve("evil", 7702, tamper=True)
        except BaseException:
            cls.tearDownClass()  # unittest does not, when setUpClass fails
            raise

    @classmethod
    def start_serve(cls, name, port, tamper=False):
        out = os.path.join(cls.tmp, "out-" + name)
        log = os.path.join(cls.tmp, "serve-%s-%d.log" % (name, time.monotonic_ns()))
        serve = [SPERRIPS, "serve", "--listen", "%s:%d" % (cls.addrB, port), "--key", os.path.join(cls.tmp, "srv.key"),
                 "--allow", os.path.join(cls.tmp, "rec.pub"), "--out", out, "--timeout", "3"]
        script = "exec " + " ".join("'%s'" % a for a in serve)
        if tamper:
            script = "mount --bind '%s' '%s' && %s" % (os.path.join(cls.tmp, "evil.txt"),
                                                      os.path.join(cls.data, "f.txt"), script)
        with open(log, "wb") as f:
            proc = subprocess.Popen(["ip", "netns", "exec", cls.nsB, "unshare", "-m", "--propagation", "private",
                                     "sh", "-c", script], stdout=subprocess.DEVNULL, stderr=f, cwd=cls.data,
                                    start_new_session=True)
        cls.serves.append(proc)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with open(log) as f:
                if "listening on" in f.read():
                    break
            time.sleep(0.05)
        else:
            raise AssertionError("serve did not start: " + open(log).read())
        return {"proc": proc, "log": log, "port": port, "out": out}

    @classmethod
    def tearDownClass(cls):
        for p in getattr(cls, "serves", []):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        for ns in getattr(cls, "netns", []):
            ip("netns", "del", ns)
        if getattr(cls, "tmp", None):
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def record(self, serve, argv, key="rec.key", server="srv.pub", extra=(), name=None, popen=False):
        name = name or "r%d.bin" % time.monotonic_ns()
        self.out = os.path.join(self.tmp, name)
        args = ["ip", "netns", "exec", self.nsA, SPERRIPS, "record", "--to", "%s:%d" % (self.addrB, serve["port"]),
                "--key", os.path.join(self.tmp, key), "--server", os.path.join(self.tmp, server),
                "--fail-on-different", "-o", self.out, "--stdout", os.path.join(self.tmp, name + ".stdout")]
        args += list(extra) + ["--"] + list(argv)
        if popen:
            return subprocess.Popen(args, cwd=self.data, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        return subprocess.run(args, cwd=self.data, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=120)

    def log(self, serve):
        with open(serve["log"]) as f:
            return f.read()

    def verdict_of(self, serve, before, pattern):
        """The serve log's lines added since `before` matching `pattern`."""
        return [l for l in self.log(serve)[len(before):].splitlines() if re.search(pattern, l)]

    def wait_log(self, serve, before, pattern, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.verdict_of(serve, before, pattern)
            if lines:
                return lines
            time.sleep(0.05)
        self.fail("serve never logged %r: %s" % (pattern, self.log(serve)[len(before):]))

    def assert_equivalent(self, job, argv):
        before = self.log(self.clean)
        p = self.record(self.clean, argv)
        self.assertEqual(p.returncode, 0, p.stderr)
        m = re.search(r"^sperrips: live verdict of %s:7701 \(key %s\): replay of job \"%s\" \((\d+) of (\d+) recorded "
                      r"syscalls compared\): (identical|equivalent)" % (re.escape(self.addrB), self.srv_fp, job),
                      p.stderr, re.M)
        self.assertIsNotNone(m, p.stderr)
        self.assertEqual(m.group(1), m.group(2))
        lines = self.wait_log(self.clean, before, r"session \d+: verdict: ")
        self.assertRegex(lines[0], r"^sperrips serve: session \d+: verdict: replay of job \"%s\" \(%s of %s recorded "
                         r"syscalls compared\): (identical|equivalent)" % (job, m.group(1), m.group(1)))
        started = self.verdict_of(self.clean, before, r"started")
        self.assertRegex(started[0], r"^sperrips serve: session (\d+) from %s:\d+: started: recorder key %s \(%s\)" %
                         (re.escape(self.addrA), fingerprint(os.path.join(self.tmp, "rec.pub")),
                          re.escape(os.path.join(self.tmp, "rec.pub"))))
        sid = re.search(r"session (\d+)", started[0]).group(1)
        # what the verifier received is the recording, byte for byte
        plain = subprocess.run(["zstd", "-dc", self.out], stdout=subprocess.PIPE, check=True).stdout
        with open(os.path.join(self.clean["out"], "session-%s.rec" % sid), "rb") as f:
            self.assertEqual(f.read(), plain)
        self.assertEqual(run(["show", self.out]).returncode, 0)

    def test_cat_verified_live(self):
        self.assert_equivalent("cat", ["/bin/cat", "f.txt"])

    def test_shell_pipeline_verified_live(self):
        self.assert_equivalent("sh", ["/bin/sh", "-c", "ls | wc -l"])

    def test_python_script_verified_live(self):
        if not shutil.which("python3"):
            self.skipTest("no python3")
        self.assert_equivalent("python3", ["/usr/bin/python3", "-S", "-c", "print(len(open('g.txt').read()))"])

    def test_tampered_file_reported_while_the_program_runs(self):
        """The first difference is in the verifier's log while the recorded
        program still sleeps after its read of the changed file."""
        before = self.log(self.evil)
        p = self.record(self.evil, ["/bin/sh", "-c", "cat f.txt; sleep 4; echo done"], popen=True)
        line = self.wait_log(self.evil, before, r"first unacceptable difference", timeout=15)[0]
        self.assertIsNone(p.poll(), "the recorder's program ended before the verifier said the difference")
        # cat's fstat of the file comes first: its contents differ
        self.assertRegex(line, r"^sperrips serve: session \d+: first unacceptable difference: #\d+ "
                         r"newfstatat\(3</.*/data/f.txt>, \.\.\.\) the file's contents are not the recorded ones: "
                         r"sha256 [0-9a-f]{16}\.\.\. vs [0-9a-f]{16}\.\.\. ")
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 1, err)
        self.assertRegex(err, r"sperrips: live verdict of %s:7702 \(key %s\): replay of job \"sh\" \(\d+ syscalls "
                         r"compared\): DIFFERENT: 2 unacceptable differences" % (re.escape(self.addrB), self.srv_fp))
        self.assertIn('moved bytes differ at byte 4: "the clean file\\n" vs "the evil file!\\n"', err)

    def test_same_job_different_only_where_the_file_changed(self):
        """cat of the changed file: DIFFERENT; of an unchanged one:
        equivalent, from the same verifier."""
        p = self.record(self.evil, ["/bin/cat", "f.txt"])
        self.assertEqual(p.returncode, 1, p.stderr)
        # cat's fstat of the file (its contents' digest), then the bytes it copied
        self.assertRegex(p.stderr, r"replay of job \"cat\" \(41 of 41 recorded syscalls compared\): DIFFERENT: 2 "
                         r"unacceptable differences")
        p = self.record(self.evil, ["/bin/cat", "g.txt"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stderr, r"replay of job \"cat\" \(41 of 41 recorded syscalls compared\): equivalent")
        if shutil.which("python3"):
            p = self.record(self.evil, ["/usr/bin/python3", "-S", "-c", "print(open('f.txt').read().upper())"])
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertRegex(p.stderr, r"live verdict of .*: replay of job \"python3\" \(.*\): DIFFERENT")
            self.assertRegex(p.stderr, r"\n  #\d+ read\(3</.*/data/f.txt>, \.\.\.\) buffer differs at byte 4: "
                             r"\"the clean file\\n\" vs \"the evil file!\\n\" \[UNEXPECTED_MEMORY_CONTENT\]\n")

    def test_wrong_keys_refused_on_both_sides(self):
        before = self.log(self.clean)
        p = self.record(self.clean, ["/bin/cat", "f.txt"], key="stranger.key", name="refused.bin")
        fp = fingerprint(os.path.join(self.tmp, "stranger.pub"))
        self.assertEqual(p.returncode, 7, p.stderr)
        self.assertEqual(p.stderr, "sperrips: record --to %s:7701: refused by the peer: your key %s is not allowed by "
                         "this verifier\n" % (self.addrB, fp))
        self.assertFalse(os.path.exists(self.out), "the program ran although the verifier refused us")
        line = self.wait_log(self.clean, before, r"refused")[0]
        self.assertRegex(line, r"^sperrips serve: session \d+ from %s:\d+: refused: key %s is not allowed "
                         r"\(serve --allow\): refused$" % (re.escape(self.addrA), fp))
        # the recorder expects another verifier
        before = self.log(self.clean)
        p = self.record(self.clean, ["/bin/cat", "f.txt"], server="stranger.pub", name="refused2.bin")
        self.assertEqual(p.returncode, 7, p.stderr)
        self.assertEqual(p.stderr, "sperrips: record --to %s:7701: the verifier's key is %s, not the expected %s: "
                         "refused\n" % (self.addrB, self.srv_fp, fp))
        line = self.wait_log(self.clean, before, r"refused")[0]
        self.assertRegex(line, r"refused: refused by the peer: the recorder expects another verifier key$")

    def raw_client(self, script, timeout=30):
        """A Python client in the recorder's namespace sending raw bytes."""
        code = ("import socket,sys,time\ns=socket.create_connection(('%s',7701))\n" % self.addrB) + script
        return subprocess.run(["ip", "netns", "exec", self.nsA, "python3", "-c", code], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)

    def test_bad_peers_refused_and_the_verifier_goes_on(self):
        before = self.log(self.clean)
        # a 2^40 length prefix
        self.raw_client("s.sendall(bytes([0,0,1,0,0,0,0,0]) + b'x' * 100)\ntime.sleep(0.5)\n")
        line = self.wait_log(self.clean, before, r"refused: a frame")[0]
        self.assertRegex(line, r"^sperrips serve: session \d+ from %s:\d+: refused: a frame of 1099511627776 bytes "
                         r"announced before the handshake, more than the 1048576 allowed: refused$" %
                         re.escape(self.addrA))
        # garbage that fits in a frame
        before = self.log(self.clean)
        self.raw_client("s.sendall(bytes([0,0,0,0,0,0,0,5]) + b'hello')\ntime.sleep(0.5)\n")
        line = self.wait_log(self.clean, before, r"refused")[0]
        self.assertRegex(line, r"refused: not a sperrips live peer \(unexpected 5-byte message before the "
                         r"handshake\)$")
        # a client that connects and says nothing: timed out (--timeout 3)
        before = self.log(self.clean)
        t0 = time.monotonic()
        self.raw_client("time.sleep(5)\n")
        line = self.wait_log(self.clean, before, r"refused")[0]
        self.assertRegex(line, r"refused: no answer within 3 s before the handshake \(stalled\)$")
        self.assertLess(time.monotonic() - t0, 15)
        # a client that disconnects in the middle of a frame
        before = self.log(self.clean)
        self.raw_client("s.sendall(bytes([0,0,0,0,0,0,0,81]) + b'H' * 20)\ns.close()\n")
        line = self.wait_log(self.clean, before, r"refused")[0]
        self.assertRegex(line, r"refused: the connection was closed before the handshake$")
        # and the verifier still serves
        self.assert_equivalent("cat", ["/bin/cat", "g.txt"])

    def test_eight_recorders_at_once(self):
        before = self.log(self.evil)
        procs = []
        for i in range(8):
            f = "f.txt" if i % 2 else "g.txt"
            procs.append((f, self.record(self.evil, ["/bin/cat", f], name="eight%d.bin" % i, popen=True)))
        for f, p in procs:
            out, err = p.communicate(timeout=120)
            if f == "f.txt":
                self.assertEqual(p.returncode, 1, err)
                self.assertIn("replay of job \"cat\" (41 of 41 recorded syscalls compared): DIFFERENT", err)
                self.assertIn('"the clean file\\n" vs "the evil file!\\n"', err)
            else:
                self.assertEqual(p.returncode, 0, err)
                self.assertIn("replay of job \"cat\" (41 of 41 recorded syscalls compared): equivalent", err)
        verdicts = self.verdict_of(self.evil, before, r"verdict: ")
        self.assertEqual(len(verdicts), 8, verdicts)
        self.assertEqual(sum("DIFFERENT" in v for v in verdicts), 4)
        self.assertEqual(sum("equivalent" in v for v in verdicts), 4)

    def test_verifier_killed_mid_run(self):
        """The verifier dies while the program runs, and is started again:
        the recorder's file is complete and it says the live check was lost."""
        serve = self.start_serve("killed", 7703)
        before = self.log(serve)
        p = self.record(serve, ["/bin/sh", "-c", "cat g.txt; sleep 2; cat g.txt"], popen=True)
        self.wait_log(serve, before, r"started")
        time.sleep(0.5)
        os.killpg(serve["proc"].pid, signal.SIGKILL)
        serve["proc"].wait()
        again = self.start_serve("killed", 7703)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 7, err)
        self.assertRegex(err, r"^sperrips: recorded \d+ syscalls of /bin/sh \(exited with 0\) into %s\n"
                         r"sperrips: the live check was lost: (the verifier closed the connection without a verdict|"
                         r"the connection was closed while sending|.* while sending) \(\d+ bytes of the recording "
                         r"sent\); %s is complete \(replay it with sperrips replay -i %s\)\n$" %
                         ((re.escape(self.out),) * 3))
        shown = run(["show", self.out])
        self.assertEqual(shown.returncode, 0, shown.stderr)
        text = shown.stdout.decode()
        self.assertEqual(text.count("copy_file_range(3, NULL, 1, NULL, "), 4, text)
        self.assertTrue(text.rstrip().endswith("+++ exited with 0 +++"), text)
        # the verifier started again serves the next recorder
        before = self.log(again)
        p = self.record(again, ["/bin/cat", "g.txt"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("equivalent", p.stderr)


    def test_verifier_stopped_mid_run(self):
        """serve stopped by SIGTERM: the session ends with that reason, its
        replay finishes the differences file, the recorder says what happened."""
        serve = self.start_serve("stopped", 7704)
        before = self.log(serve)
        p = self.record(serve, ["/bin/sh", "-c", "cat g.txt; sleep 2"], popen=True)
        self.wait_log(serve, before, r"started")
        time.sleep(0.5)
        os.kill(serve["proc"].pid, signal.SIGTERM)
        self.assertEqual(serve["proc"].wait(timeout=30), 128 + signal.SIGTERM)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 7, err)
        self.assertIn("sperrips: the live check was lost: the verifier closed the connection without a verdict", err)
        lines = self.log(serve)[len(before):].splitlines()
        self.assertRegex(lines[-2], r"^sperrips serve: session 1: ended without a verdict: the verifier was stopped "
                         r"by SIGTERM$")
        self.assertEqual(lines[-1], "sperrips serve: stopped by SIGTERM; 1 session served")
        shown = run(["show", os.path.join(serve["out"], "session-1.diff")])
        self.assertEqual(shown.returncode, 0, shown.stderr)

    def test_recorder_stalled_mid_stream(self):
        """A recorder that stops talking after it began (here: stopped by
        SIGSTOP, keepalives and all) is timed out; the verifier goes on."""
        before = self.log(self.clean)
        p = self.record(self.clean, ["/bin/sh", "-c", "cat g.txt; sleep 5"], popen=True)
        self.wait_log(self.clean, before, r"started")
        time.sleep(0.3)
        os.kill(p.pid, signal.SIGSTOP)
        try:
            line = self.wait_log(self.clean, before, r"ended without a verdict", timeout=15)[0]
        finally:
            os.kill(p.pid, signal.SIGCONT)
        self.assertRegex(line, r"^sperrips serve: session \d+: ended without a verdict: stalled: nothing from the "
                         r"recorder for 3 s \(after \d+ bytes\)$")
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 7, err)
        self.assertIn("sperrips: the live check was lost: ", err)
        self.assertEqual(run(["show", self.out]).returncode, 0)
        self.assert_equivalent("cat", ["/bin/cat", "g.txt"])

class LiveUsage(unittest.TestCase):
    """What serve and record --to refuse before any network is involved."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sperrips-live-usage-")
        for name in ("srv", "rec"):
            assert run(["keygen", os.path.join(self.tmp, name)]).returncode == 0

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def k(self, name):
        return os.path.join(self.tmp, name)

    def one_line(self, p, status, text):
        self.assertEqual(p.returncode, status, p.stderr)
        self.assertEqual(p.stderr.decode(), text + "\n")

    def test_serve_needs_its_keys(self):
        self.one_line(run(["serve", "--listen", "127.0.0.1:0", "--key", self.k("srv.key")]), 2,
                      "sperrips serve: at least one --allow R.pub is needed: no recorder could be served "
                      "(see sperrips serve --help)")
        self.one_line(run(["serve", "--listen", "127.0.0.1:0", "--key", self.k("srv.pub"), "--allow", self.k("rec.pub")]),
                      2, "sperrips: serve --key %s: a public key file, not a secret one (sperrips keygen NAME writes "
                      "NAME.key)" % self.k("srv.pub"))
        self.one_line(run(["serve", "--listen", "nowhere", "--key", self.k("srv.key"), "--allow", self.k("rec.pub")]),
                      2, "sperrips: serve: nowhere: expected ADDR:PORT")

    def test_record_to_needs_both_keys(self):
        self.one_line(run(["record", "--to", "127.0.0.1:1", "--key", self.k("rec.key"), "--", "/bin/true"]), 2,
                      "sperrips: record --to needs --key R.key (who records) and --server S.pub (who verifies) "
                      "(see sperrips --help)")
        self.one_line(run(["record", "--fail-on-different", "--", "/bin/true"]), 2,
                      "sperrips: record: --key, --server and --fail-on-different go with --to HOST:PORT "
                      "(see sperrips --help)")

    def test_unreachable_verifier_runs_nothing(self):
        # a port nobody listens on: refused at once
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        out = self.k("r.bin")
        p = run(["record", "--to", "127.0.0.1:%d" % port, "--key", self.k("rec.key"), "--server", self.k("srv.pub"),
                 "-o", out, "--", "/bin/true"])
        self.one_line(p, 7, "sperrips: record --to cannot connect to 127.0.0.1:%d: Connection refused" % port)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
