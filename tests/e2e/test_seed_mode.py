"""The prototype's interface: sperrips --recording -c config.json."""
import json
import os
import subprocess

from helpers import SPERRIPS, TmpTestCase, read_pb, show_json


class SeedMode(TmpTestCase):
    def config(self, **over):
        cfg = {
            "recording": True,
            "command": "eval_cat",
            "lax_policy": True,
            "commands": {
                "eval_cat": {"args": ["/bin/cat", "/etc/hostname"], "stdin": "", "is_hex": False},
                "eval_stdin": {"args": ["/bin/cat"], "stdin": "48690a", "is_hex": True},
            },
            "container": {"enable_container": False, "mount_point": "/mnt", "ol_lowerdir": "/a",
                          "ol_upperdir": "/b", "ol_workdir": "/c"},
            "workdir": self.tmp,
            "stdout_file": os.path.join(self.tmp, "out.txt"),
            "stderr_file": os.path.join(self.tmp, "out.txt"),
            "verbosity": 0,
        }
        cfg.update(over)
        path = os.path.join(self.tmp, "config.json")
        with open(path, "w") as f:
            json.dump(cfg, f, indent=2)
        return path

    def seed(self, args, cwd=None):
        return subprocess.run([SPERRIPS] + args, cwd=cwd or self.tmp, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60)

    def test_recording_with_c(self):
        cfg = self.config()
        other = os.path.join(self.tmp, "elsewhere")
        os.mkdir(other)
        p = self.seed(["--recording", "-c", cfg], cwd=other)
        self.assertEqual(p.returncode, 0, p.stderr)
        rec_path = os.path.join(self.tmp, "recording.bin")
        self.assertEqual(p.stdout.decode().strip(), rec_path)
        self.assertTrue(os.path.exists(rec_path))
        with open("/etc/hostname", "rb") as f:
            host = f.read()
        self.assertEqual(open(os.path.join(self.tmp, "out.txt"), "rb").read(), host)
        rec = read_pb(rec_path)
        self.assertEqual(rec.metadata.job_name, "eval_cat")
        self.assertEqual(list(rec.metadata.command.argv), ["/bin/cat", "/etc/hostname"])
        meta, events, _ = show_json(rec_path)
        self.assertEqual(events[-1]["name"], "exit_group")

    def test_config_json_in_current_folder(self):
        self.config(command="eval_stdin")
        p = self.seed(["--recording"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(open(os.path.join(self.tmp, "out.txt"), "rb").read(), b"Hi\n")
        rec = read_pb(os.path.join(self.tmp, "recording.bin"))
        self.assertEqual(rec.metadata.command.stdin_bytes, b"Hi\n")

    def test_bad_config(self):
        path = os.path.join(self.tmp, "config.json")
        with open(path, "w") as f:
            f.write('{\n  "command": "x",\n  oops\n}\n')
        p = self.seed(["--recording", "-c", path])
        self.assertEqual(p.returncode, 2)
        line = self.assertOneLineError(p, path)
        self.assertIn(":3", line)

    def test_container_missing_lower(self):
        # The container itself is tested in test_container.py; here: a
        # lower layer that does not exist is one line naming it.
        cfg = self.config(container={"enable_container": True, "mount_point": "/mnt", "ol_lowerdir": "/a",
                                     "ol_upperdir": "/b", "ol_workdir": "/c"})
        p = self.seed(["--recording", "-c", cfg])
        self.assertEqual(p.returncode, 2)
        self.assertOneLineError(p, "lower layer /a: No such file or directory")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "recording.bin")))
