"""Replay names what a recording makes it run, before running it, and
refuses to run a container recording on the host (issue 8, finding 3)."""
import os

from helpers import ORIGIN_NOTE, TmpTestCase, read_pb, record, run


class Preflight(TmpTestCase):
    def edited(self, rec, edit):
        r = read_pb(rec)
        edit(r.metadata)
        out = os.path.join(self.tmp, "edited.bin")
        with open(out, "wb") as f:
            f.write(r.SerializeToString())
        return out

    def test_loader_variable_is_named_first(self):
        p, rec = record(self.tmp, ["/bin/echo", "hi"], ["--stdout", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)
        ed = self.edited(rec, lambda m: m.command.env.append("LD_PRELOAD=/nonexistent/evil.so"))
        p = run(["replay", "-i", ed, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", "/dev/null"])
        lines = p.stderr.decode().splitlines()
        self.assertEqual(lines[0], "sperrips: note: the recording sets LD_PRELOAD=/nonexistent/evil.so, "
                                   "which changes what the program loads")

    def test_container_recording_is_refused_on_the_host(self):
        marker = os.path.join(self.tmp, "pwned.txt")
        p, rec = record(self.tmp, ["/bin/sh", "-c", "echo x > " + marker])
        self.assertEqual(p.returncode, 0, p.stderr)
        os.unlink(marker)
        ed = self.edited(rec, lambda m: setattr(m, "container_root", "/srv/bookworm"))
        p = run(["replay", "-i", ed, "-o", os.path.join(self.tmp, "d.bin")])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.assertOneLineError(p),
                         "sperrips: refusing to replay on the host a recording made in a container "
                         "(--rootfs /srv/bookworm): replay it with --rootfs over the same root")
        self.assertFalse(os.path.exists(marker), "the recorded script ran on the host")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "d.bin")))

    def test_verbose_names_the_command(self):
        p, rec = record(self.tmp, ["/bin/echo", "hi there", "it's"], ["--stdout", "/dev/null",
                                                                     "--workdir", self.tmp])
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run(["replay", "-v", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("sperrips: replaying /bin/echo 'hi there' 'it'\\''s' (working directory %s, "
                      "root this host's /)" % self.tmp, p.stderr.decode().splitlines())

    def test_plain_replay_names_the_command_after_the_origin_note(self):
        p, rec = record(self.tmp, ["/bin/echo", "hi"], ["--stdout", "/dev/null"])
        p = run(["replay", "-i", rec, "-o", os.path.join(self.tmp, "d.bin"), "--stdout", "/dev/null"])
        self.assertEqual(p.returncode, 0, p.stderr)
        # nobody verified the recording's origin (issue 12), and what runs,
        # from that file, is always said, terminal or not
        self.assertEqual([l for l in p.stderr.decode().splitlines() if "replaying /bin" in l or "note:" in l],
                         [ORIGIN_NOTE, "sperrips: replaying /bin/echo hi (working directory %s, root this host's /)"
                          % os.getcwd()])
