"""The command line as a new user meets it (issue 13): per-command --help
from the man pages, option errors, show's filters and summaries, standard
input, --exit-status, and `make install`."""
import os
import re
import subprocess

from helpers import BUILD, REPO, SPERRIPS, TmpTestCase, record, run, sanitized, show_json, show_text


def man_synopsis(cmd):
    """The SYNOPSIS lines of doc/sperrips-CMD.1.scd without scdoc markup."""
    lines, sec = [], None
    with open(os.path.join(REPO, "doc", "sperrips-%s.1.scd" % cmd)) as f:
        for line in f:
            if line.startswith("# "):
                sec = line[2:].strip()
            elif sec == "SYNOPSIS" and line.strip():
                lines.append(re.sub(r"(^|\W)_([^_ ]+)_", r"\1\2", line.strip()).replace("*", ""))
    return lines


class Help(TmpTestCase):
    def test_each_command_prints_its_own_page(self):
        for cmd in ("record", "replay", "show", "rootfs", "keygen", "serve"):
            p = run([cmd, "--help"])
            self.assertEqual(p.returncode, 0, cmd)
            out = p.stdout.decode().splitlines()
            self.assertEqual(out[0], "usage: " + man_synopsis(cmd)[0], cmd)
            self.assertIn("options:", out)
            self.assertEqual(out[-1], "see man sperrips-%s for the exit status and examples." % cmd)
        self.assertIn("  --exit-status", run(["record", "-h"]).stdout.decode().splitlines())
        self.assertIn("  --policy lax|strict|FILE", run(["replay", "-h"]).stdout.decode().splitlines())
        self.assertIn("  --verify NAME.pub", run(["show", "-h"]).stdout.decode().splitlines())
        self.assertIn("  --sign NAME.key", run(["record", "-h"]).stdout.decode().splitlines())

    def test_global_help_names_rootfs_mirror(self):
        self.assertIn("[--mirror URL]", run(["--help"]).stdout.decode())


class OptionErrors(TmpTestCase):
    def test_unknown_long_option(self):
        p = run(["record", "--bogus", "--", "true"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.assertOneLineError(p),
                         "sperrips record: unknown option --bogus (see sperrips record --help)")

    def test_unknown_short_option_and_missing_value(self):
        p = run(["show", "-q", "x"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.assertOneLineError(p), "sperrips show: unknown option -q (see sperrips show --help)")
        p = run(["replay", "-i"])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.assertOneLineError(p),
                         "sperrips replay: option -i needs a value (see sperrips replay --help)")

    def test_policy_that_is_neither_mode_nor_file(self):
        p = run(["replay", "--policy", "medium", "-i", "/nonexistent.bin"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("--policy medium: neither lax, strict nor an existing policy file",
                      self.assertOneLineError(p))

    def test_negative_strsize(self):
        p = run(["show", "-s", "-5", "x.bin"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("-s -5: expected a number of bytes", self.assertOneLineError(p))


class ShowFilters(TmpTestCase):
    def setUp(self):
        super().setUp()
        data = self.tmpfile("in.txt", b"hello\n")
        p, self.rec = record(self.tmp, ["/bin/cat", data], ["--stdout", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)
        _, self.events, _ = show_json(self.rec)

    def count(self, name):
        return sum(1 for e in self.events if e["name"] == name)

    def test_summary_honours_e(self):
        p = run(["show", "-c", "-e", "read,close", self.rec])
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = [line.split() for line in p.stdout.decode().splitlines()[2:-2]]
        got = {r[-1]: int(r[0]) for r in rows}
        self.assertEqual(got, {"read": self.count("read"), "close": self.count("close")})

    def test_summary_as_json(self):
        p = run(["show", "--json", "-c", self.rec])
        self.assertEqual(p.returncode, 0, p.stderr)
        import json
        lines = [json.loads(x) for x in p.stdout.decode().splitlines()]
        errors = sum(1 for e in self.events if -4095 <= e.get("retval", 0) < 0)
        self.assertEqual(lines[-1], {"total": True, "calls": len(self.events), "errors": errors})
        self.assertIn({"syscall": "read", "calls": self.count("read"),
                       "errors": 0}, lines)

    def test_classes(self):
        lines, p = show_text(self.rec)
        p = run(["show", "-e", "trace=%file", self.rec])
        self.assertEqual(p.returncode, 0, p.stderr)
        names = {re.match(r"(\w+)\(", x).group(1) for x in p.stdout.decode().splitlines()
                 if re.match(r"\w+\(", x)}
        self.assertTrue(names, p.stdout)
        self.assertTrue(names <= {"openat", "newfstatat", "access", "execve", "statfs", "readlink"}, names)
        self.assertIn("openat", names)
        p = run(["show", "-e", "%desc", self.rec])
        names = {re.match(r"(\w+)\(", x).group(1) for x in p.stdout.decode().splitlines()
                 if re.match(r"\w+\(", x)}
        self.assertTrue({"read", "write", "close", "openat"} <= names, names)
        self.assertNotIn("brk", names)
        p = run(["show", "-e", "%bogus", self.rec])
        self.assertEqual(p.returncode, 2)
        self.assertIn('no syscall or class called "%bogus"', self.assertOneLineError(p))


class StdinAndStatus(TmpTestCase):
    def test_piped_input_is_refused_not_dropped(self):
        out = os.path.join(self.tmp, "r.bin")
        p = subprocess.run([SPERRIPS, "record", "-o", out, "--", "/bin/cat"], input=b"hi\n",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--stdin-file - passes this input through", self.assertOneLineError(p))
        self.assertFalse(os.path.exists(out))

    def test_stdin_file_dash_passes_it_through(self):
        out = os.path.join(self.tmp, "r.bin")
        p = subprocess.run([SPERRIPS, "record", "--stdin-file", "-", "-o", out, "--", "/bin/cat"],
                           input=b"piped bytes\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"piped bytes\n")
        meta, events, _ = show_json(out)
        reads = [e for e in events if e["name"] == "read" and e["entry"][0]["value"] == 0]
        self.assertTrue(reads)
        self.assertEqual(bytes.fromhex(reads[0]["exit"][1]["hex"]), b"piped bytes\n")

    def test_exit_status_mirrors_the_program(self):
        p, _ = record(self.tmp, ["/bin/sh", "-c", "exit 3"], ["--exit-status"])
        self.assertEqual(p.returncode, 3, p.stderr)
        p, _ = record(self.tmp, ["/bin/sh", "-c", "kill -SEGV $$"], ["--exit-status"])
        self.assertEqual(p.returncode, 128 + 11, p.stderr)
        p, _ = record(self.tmp, ["/bin/sh", "-c", "exit 3"])
        self.assertEqual(p.returncode, 0, p.stderr)


class Install(TmpTestCase):
    def test_make_install_file_list(self):
        dest = os.path.join(self.tmp, "root")
        env = dict(os.environ, BUILD=os.path.relpath(BUILD, REPO))
        p = subprocess.run(["make", "--no-print-directory", "-C", REPO, "BUILD=" + env["BUILD"],
                            "install", "DESTDIR=" + dest, "PREFIX=/usr"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, env=env)
        self.assertEqual(p.returncode, 0, p.stdout.decode())
        files = sorted(os.path.relpath(os.path.join(d, f), dest)
                       for d, _, fs in os.walk(dest) for f in fs)
        self.assertEqual(files, [
            "usr/bin/sperrips",
            "usr/share/bash-completion/completions/sperrips",
            "usr/share/doc/sperrips/config.md",
            "usr/share/man/man1/sperrips-keygen.1",
            "usr/share/man/man1/sperrips-record.1",
            "usr/share/man/man1/sperrips-replay.1",
            "usr/share/man/man1/sperrips-rootfs.1",
            "usr/share/man/man1/sperrips-serve.1",
            "usr/share/man/man1/sperrips-show.1",
            "usr/share/man/man1/sperrips.1",
            "usr/share/zsh/vendor-completions/_sperrips",
        ])
        page = subprocess.run(["man", "-l", os.path.join(dest, "usr/share/man/man1/sperrips-replay.1")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(env, MANWIDTH="80"),
                              timeout=60)
        text = page.stdout.decode()
        for head in ("NAME", "SYNOPSIS", "OPTIONS", "EXIT STATUS", "EXAMPLES", "FILES"):
            self.assertIn("\n" + head + "\n", text)
        self.assertIn("sperrips-replay - run a recorded program again", text)
        p = subprocess.run(["make", "--no-print-directory", "-C", REPO, "BUILD=" + env["BUILD"],
                            "uninstall", "DESTDIR=" + dest, "PREFIX=/usr"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120, env=env)
        self.assertEqual(p.returncode, 0, p.stdout.decode())
        left = [os.path.join(d, f) for d, _, fs in os.walk(dest) for f in fs]
        self.assertEqual(left, [])


class Rootfs(TmpTestCase):
    def test_refuses_a_folder_with_files(self):
        d = os.path.join(self.tmp, "full")
        os.mkdir(d)
        self.tmpfile("full/keep.txt", b"mine")
        p = run(["rootfs", d])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.assertOneLineError(p),
                         "sperrips: rootfs: %s is not empty (give a new or empty folder)" % d)
        self.assertEqual(os.listdir(d), ["keep.txt"])

    def test_failed_debootstrap_leaves_nothing_and_says_why(self):
        if os.geteuid() != 0 or not os.path.exists("/usr/sbin/debootstrap"):
            self.skipTest("needs root and debootstrap")
        d = os.path.join(self.tmp, "root")
        # port 9 (discard) on loopback: nobody listens, the connection is refused at once
        p = run(["rootfs", d, "--mirror", "http://127.0.0.1:9/debian"], timeout=300)
        self.assertEqual(p.returncode, 5, p.stderr)
        lines = p.stderr.decode().splitlines()
        self.assertEqual(len(lines), 2, lines)  # "running ... (log: L)" and the reason
        log = re.search(r"\(log: (\S+)\)", lines[0]).group(1)
        self.addCleanup(lambda: os.path.exists(log) and os.unlink(log))
        self.assertEqual(lines[1], "sperrips: rootfs: debootstrap failed: E: Failed getting release file "
                         "http://127.0.0.1:9/debian/dists/bookworm/Release; %s removed, its log kept in %s"
                         % (d, log))
        self.assertFalse(os.path.exists(d))
        self.assertTrue(os.path.getsize(log) > 0)


class DebianPackage(TmpTestCase):
    """make deb, lintian, install with apt, the man page, removal (slow)."""

    def test_make_deb_installs_and_removes(self):
        if not os.environ.get("SPERRIPS_SLOW") or os.geteuid() != 0:
            self.skipTest("slow and installs a package: SPERRIPS_SLOW=1 as root (CI does)")
        if sanitized():
            self.skipTest("the package is built once, in the plain pass")
        if subprocess.run(["dpkg", "-s", "sperrips"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0:
            self.skipTest("a sperrips package is installed on this machine already")
        p = subprocess.run(["make", "--no-print-directory", "-C", REPO, "deb"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1200)
        self.assertEqual(p.returncode, 0, p.stdout.decode()[-3000:])
        debdir = os.path.join(REPO, "build", "deb")
        debs = [f for f in os.listdir(debdir) if re.match(r"sperrips_[0-9.]+_amd64\.deb$", f)]
        self.assertEqual(len(debs), 1, os.listdir(debdir))
        deb = os.path.join(debdir, debs[0])
        lint = subprocess.run(["lintian", deb], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        tags = [l for l in lint.stdout.decode().splitlines() if re.match(r"[EW]: ", l)]
        self.assertEqual(tags, [])
        inst = subprocess.run(["apt-get", "install", "-y", "-qq", deb], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=600,
                              env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        self.addCleanup(subprocess.run, ["dpkg", "-r", "sperrips"], stdout=subprocess.DEVNULL)
        self.assertEqual(inst.returncode, 0, inst.stdout.decode())
        v = subprocess.run(["/usr/bin/sperrips", "--version"], stdout=subprocess.PIPE)
        self.assertTrue(v.stdout.startswith(b"sperrips "), v.stdout)
        man = subprocess.run(["man", "-w", "sperrips-replay"], stdout=subprocess.PIPE)
        self.assertEqual(man.stdout.decode().strip(), "/usr/share/man/man1/sperrips-replay.1.gz")
        self.assertEqual(subprocess.run(["dpkg", "-r", "sperrips"], stdout=subprocess.DEVNULL).returncode, 0)
        self.assertFalse(os.path.exists("/usr/bin/sperrips"))
        self.assertFalse(os.path.exists("/usr/share/man/man1/sperrips-replay.1.gz"))
