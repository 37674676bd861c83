"""The nondet tracee: what the recording holds for getrandom, the clocks
(real syscalls: the vDSO is hidden), getpid/gettid, uname and mmap equals
what the program itself saw."""
import os
import struct
import subprocess

from helpers import SPERRIPS, TmpTestCase, arg_bytes, read_pb, show_json, signed, tracee


class Nondet(TmpTestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.dir = tempfile.mkdtemp(prefix="sperrips-e2e-nondet-")
        cls.path = os.path.join(cls.dir, "r.bin")
        p = subprocess.run([SPERRIPS, "record", "-o", cls.path, "--", tracee("nondet")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60)
        cls.proc = p
        cls.printed = {}
        for line in p.stdout.decode().splitlines():
            k, _, v = line.partition(" ")
            cls.printed[k] = v
        cls.meta, cls.events, _ = show_json(cls.path) if p.returncode == 0 else (None, [], None)

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.dir, True)

    def calls(self, name):
        return [e for e in self.events if e["name"] == name]

    def setUp(self):
        super().setUp()
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)

    def test_getrandom_buffer_is_what_the_program_got(self):
        want = bytes.fromhex(self.printed["getrandom"])
        g = [e for e in self.calls("getrandom") if e["entry"][1]["value"] == 16]
        self.assertEqual(len(g), 1, self.calls("getrandom"))
        self.assertEqual(g[0]["retval"], 16)
        self.assertEqual(arg_bytes(g[0]["exit"][0]), want)
        self.assertEqual(g[0]["exit"][0]["type"], "OUT_BUFFER")
        # The same through protobuf.
        rec = read_pb(self.path)
        bufs = [s.args_on_exit.args[0].buffer for s in rec.syscall if s.type == 318]
        self.assertIn(want, bufs)

    def test_clock_gettime_is_a_recorded_syscall(self):
        sec, nsec = map(int, self.printed["clock_gettime"].split())
        c = [e for e in self.calls("clock_gettime") if e["entry"][0]["value"] == 0]  # CLOCK_REALTIME
        self.assertTrue(c, "clock_gettime is not in the recording: is the vDSO hidden?")
        got = [struct.unpack("<qq", arg_bytes(e["exit"][1])) for e in c]
        self.assertIn((sec, nsec), got)

    def test_gettimeofday_is_a_recorded_syscall(self):
        sec, usec = map(int, self.printed["gettimeofday"].split())
        c = self.calls("gettimeofday")
        self.assertTrue(c, "gettimeofday is not in the recording: is the vDSO hidden?")
        got = [struct.unpack("<qq", arg_bytes(e["exit"][0])) for e in c]
        self.assertIn((sec, usec), got)

    def test_time_is_a_recorded_syscall(self):
        t = int(self.printed["time"])
        c = self.calls("time")
        self.assertTrue(c, "time is not in the recording: is the vDSO hidden?")
        self.assertIn(t, [e["retval"] for e in c])

    def test_pids(self):
        pid = int(self.printed["getpid"])
        tid = int(self.printed["gettid"])
        self.assertIn(pid, [e["retval"] for e in self.calls("getpid")])
        self.assertIn(tid, [e["retval"] for e in self.calls("gettid")])
        self.assertEqual(self.events[0].get("tid"), pid)

    def test_uname(self):
        sysname, release, machine = self.printed["uname"].split()
        u = self.calls("uname")
        self.assertTrue(u)
        raw = arg_bytes(u[-1]["exit"][0])
        self.assertEqual(len(raw), 390)
        fields = [raw[i * 65:(i + 1) * 65].split(b"\0")[0].decode() for i in range(6)]
        self.assertEqual(fields[0], sysname)
        self.assertEqual(fields[2], release)
        self.assertEqual(fields[4], machine)
        self.assertEqual(u[-1]["exit"][0]["type"], "STRUCT_UTSNAME")

    def test_anonymous_mmap(self):
        addr = int(self.printed["mmap"], 16)
        m = [e for e in self.calls("mmap") if e["entry"][1]["value"] == 8192 and signed(e["retval"]) == addr]
        self.assertEqual(len(m), 1)
        self.assertEqual(m[0]["return"]["type"], "PASLR_FOLLOW")
        # ASLR is off in the tracee by default: the address is the low
        # non-randomized one (below the 47-bit top, as without ASLR).
        self.assertEqual(addr & 0xFFF, 0)

    def test_metadata_flags(self):
        rec = read_pb(self.path)
        self.assertTrue(rec.metadata.aslrInfo.tracee_aslr_off)
        self.assertTrue(rec.metadata.aslrInfo.vdso_hidden)
