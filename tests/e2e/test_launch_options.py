"""How the tracee is started: --stdin, --stdin-hex, --stdin-file, --env,
--workdir, --stdout/--stderr (also the same file), --job; the empty
environment by default; all of it in the metadata."""
import os
import subprocess

from helpers import SPERRIPS, TmpTestCase, arg_bytes, read_pb, record, show_json


class LaunchOptions(TmpTestCase):
    def test_stdin_text(self):
        out = os.path.join(self.tmp, "out")
        p, path = record(self.tmp, ["/bin/cat"], opts=["--stdin", "hello stdin\n", "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), b"hello stdin\n")
        meta, events, _ = show_json(path)
        self.assertEqual(meta["stdin_hex"], b"hello stdin\n".hex())
        reads = [e for e in events if e["name"] == "read" and e["entry"][0]["value"] == 0]
        self.assertEqual(arg_bytes(reads[0]["exit"][1]), b"hello stdin\n")
        self.assertEqual(reads[-1]["retval"], 0)  # then end of file: the pipe is closed
        rec = read_pb(path)
        self.assertEqual(rec.metadata.command.stdin, "hello stdin\n")
        self.assertEqual(rec.metadata.command.stdin_bytes, b"hello stdin\n")

    def test_stdin_hex(self):
        data = bytes([0, 1, 2, 0xFF, 0x80, 10])
        out = os.path.join(self.tmp, "out")
        p, path = record(self.tmp, ["/bin/cat"], opts=["--stdin-hex", data.hex(), "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), data)
        rec = read_pb(path)
        self.assertEqual(rec.metadata.command.stdin_bytes, data)
        meta, _, _ = show_json(path)
        self.assertEqual(meta["stdin_hex"], data.hex())

    def test_stdin_hex_invalid(self):
        p, _ = record(self.tmp, ["/bin/cat"], opts=["--stdin-hex", "xyz"])
        self.assertEqual(p.returncode, 2)
        self.assertOneLineError(p)

    def test_stdin_file(self):
        data = bytes(range(256)) * 4
        src = self.tmpfile("in.bin", data)
        out = os.path.join(self.tmp, "out")
        p, path = record(self.tmp, ["/bin/cat"], opts=["--stdin-file", src, "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), data)
        self.assertEqual(read_pb(path).metadata.command.stdin_bytes, data)

    def test_no_stdin_is_empty(self):
        out = os.path.join(self.tmp, "out")
        p, path = record(self.tmp, ["/bin/cat"], opts=["--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), b"")

    def test_empty_environment_by_default(self):
        out = os.path.join(self.tmp, "out")
        p, path = record(self.tmp, ["/usr/bin/env"], opts=["--stdout", out], env=dict(os.environ, LEAK="yes"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), b"")
        self.assertEqual(list(read_pb(path).metadata.command.env), [])

    def test_env(self):
        out = os.path.join(self.tmp, "out")
        p, path = record(self.tmp, ["/usr/bin/env"],
                         opts=["--env", "A=1", "--env", "B=two words", "--env", "EMPTY=", "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), b"A=1\nB=two words\nEMPTY=\n")
        self.assertEqual(list(read_pb(path).metadata.command.env), ["A=1", "B=two words", "EMPTY="])
        # execve is not recorded (recording starts after it), but the
        # environment is: the tracee's stack holds it.

    def test_env_without_equals(self):
        p, _ = record(self.tmp, ["/usr/bin/env"], opts=["--env", "NOEQUALS"])
        self.assertEqual(p.returncode, 2)
        self.assertOneLineError(p)

    def test_workdir(self):
        wd = os.path.join(self.tmp, "wd")
        os.mkdir(wd)
        out = os.path.join(self.tmp, "out")
        p, path = record(self.tmp, ["/bin/pwd"], opts=["--workdir", wd, "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), wd.encode() + b"\n")
        self.assertEqual(read_pb(path).metadata.command.workdir, wd)

    def test_workdir_relative_file(self):
        wd = os.path.join(self.tmp, "wd")
        os.mkdir(wd)
        with open(os.path.join(wd, "data.txt"), "wb") as f:
            f.write(b"relative\n")
        out = os.path.join(self.tmp, "out")
        p, path = record(self.tmp, ["/bin/cat", "data.txt"], opts=["--workdir", wd, "--stdout", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), b"relative\n")

    def test_missing_workdir(self):
        p, _ = record(self.tmp, ["/bin/pwd"], opts=["--workdir", os.path.join(self.tmp, "nope")])
        self.assertNotEqual(p.returncode, 0)
        self.assertOneLineError(p, "nope")

    def test_stdout_and_stderr_same_file(self):
        out = os.path.join(self.tmp, "both")
        p, path = record(self.tmp, ["/bin/sh", "-c", "echo one; echo two >&2; echo three"],
                         opts=["--stdout", out, "--stderr", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), b"one\ntwo\nthree\n")

    def test_stdout_and_stderr_separate(self):
        out, err = os.path.join(self.tmp, "out"), os.path.join(self.tmp, "err")
        p, path = record(self.tmp, ["/bin/sh", "-c", "echo one; echo two >&2"],
                         opts=["--stdout", out, "--stderr", err])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(out, "rb").read(), b"one\n")
        self.assertEqual(open(err, "rb").read(), b"two\n")

    def test_job_name(self):
        p, path = record(self.tmp, ["/bin/true"], opts=["--job", "my job"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(read_pb(path).metadata.job_name, "my job")
        meta, _, _ = show_json(path)
        self.assertEqual(meta["job"], "my job")

    def test_default_output_name(self):
        p = subprocess.run([SPERRIPS, "record", "--", "/bin/true"],
                           cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        path = os.path.join(self.tmp, "recording.bin")
        self.assertTrue(os.path.exists(path))
        self.assertEqual(read_pb(path).metadata.job_name, "true")

    def test_aslr_option(self):
        p, path = record(self.tmp, ["/bin/true"], opts=["--aslr"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertFalse(read_pb(path).metadata.aslrInfo.tracee_aslr_off)
        p, path = record(self.tmp, ["/bin/true"], out_name="r2.bin")
        self.assertTrue(read_pb(path).metadata.aslrInfo.tracee_aslr_off)
