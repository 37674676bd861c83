"""Under --rootfs a forking program's children are paired with their
recording by the pids the program sees (issue 9 item 2): the recording
names threads by their pid in the container's PID namespace, as the fork's
return value does, and recorded signals reach the program (PID 2, below
the container's init)."""
import re

from helpers import show_text
from test_container_replay import ReplayCase


class ContainerFork(ReplayCase):
    def test_sh_c_id_and_a_pipe(self):
        path = self.record_ok(["/bin/sh", "-c", "id; echo x | cat"])
        lines, _ = show_text(path, signals=True)
        text = "\n".join(lines)
        # The children as the program (PID 2) saw them: 3, 4, 5 (the fork results).
        self.assertRegex(text, r"getpid\(\) = 2\n")
        self.assertRegex(text, r"clone\([^\n]*\) = 3\n")
        self.assertRegex(text, r"--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=3, ")
        for _ in range(2):
            p, _ = self.replay(path)
            err = p.stderr.decode(errors="replace")
            self.assertEqual(p.returncode, 0, err)
            self.assertTrue(re.search(r"replay of job \"sh\" \((\d+ of )?\d+ (recorded )?syscalls compared\): (identical|equivalent)", err), err)
            self.assertEqual(self.leftovers(), [])
