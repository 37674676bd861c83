/* The container probe set (issue 8): what a hostile program inside
 * --rootfs would try, one line each, "name: ok" or "name: ERRNO-NAME".
 * Nothing is harmed where an attempt succeeds: files are opened for
 * writing, not written; the block node would name a disk, not touch it.
 * First its privileges as /proc/self/status states them.
 * Usage: sandbox_probe HOST_FILE LOWER_DIR TRACER_PID HOST_PID
 *   HOST_FILE  a host file outside the container's root
 *   LOWER_DIR  the container's lower layer, as a host path
 *   TRACER_PID the tracer's pid on the host
 *   HOST_PID   a host process to kill
 * fd 2 should be the tracer's controlling terminal (TIOCSTI). The nested
 * probes come last: they move the process into namespaces of its own. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void report(const char *name, long rc)
{
	printf("%s: %s\n", name, rc < 0 ? strerrorname_np(errno) : "ok");
}

static int open_w(const char *path, int flags)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0644);
	if (fd >= 0)
		close(fd);
	return fd;
}

static int open_r(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return fd;
}

static void status_lines(void)
{
	static const char *const keys[] = { "CapEff:", "CapBnd:", "NoNewPrivs:", "Seccomp:" };
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	while (f && fgets(line, sizeof(line), f))
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strncmp(line, keys[i], strlen(keys[i])))
				fputs(line, stdout);
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: sandbox_probe HOST_FILE LOWER_DIR TRACER_PID HOST_PID\n");
		return 2;
	}
	const char *host_file = argv[1], *lower = argv[2];
	pid_t tracer = atoi(argv[3]), host_pid = atoi(argv[4]);
	char path[4096];
	setvbuf(stdout, NULL, _IOLBF, 0);

	status_lines();
	report("mknod-block", mknod("/tmp/probe-sda", S_IFBLK | 0600, makedev(8, 0)));
	report("mount-tmpfs", mount("none", "/mnt", "tmpfs", 0, NULL));
	report("remount-root-rw", mount(NULL, "/", NULL, MS_REMOUNT, NULL));
	report("umount-proc", umount2("/proc", MNT_DETACH));
	report("remount-sys-rw", mount(NULL, "/sys", NULL, MS_REMOUNT | MS_BIND, NULL));
	report("write-sys", open_w("/sys/kernel/profiling", 0));
	report("write-proc-sys", open_w("/proc/sys/kernel/domainname", 0));
	report("write-sysrq-trigger", open_w("/proc/sysrq-trigger", 0));
	char c = 0; /* a NUL: harmless in the shell, were it typed */
	report("tiocsti", ioctl(2, TIOCSTI, &c));
	report("open-dev-tty", open_r("/dev/tty"));
	report("read-host-file", open_r(host_file));
	snprintf(path, sizeof(path), "/proc/%d/root%s", (int)tracer, host_file);
	report("read-host-via-tracer", open_r(path));
	snprintf(path, sizeof(path), "%s/probe-escape", lower);
	report("write-lower-dir", open_w(path, O_CREAT));
	/* Allowed: lands in the upper layer; the test checks the lower. */
	report("write-root-file", open_w("/probe-upper", O_CREAT));
	report("ptrace-tracer", ptrace(PTRACE_ATTACH, tracer, 0, 0));
	report("kill-host-process", kill(host_pid, SIGKILL));
	/* The session keyring's id: harmless, and on the --seccomp denylist. */
	report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* KEY_SPEC_SESSION_KEYRING */, 1));
	/* A user namespace of its own gives capabilities back, but over
	 * copies of the mounts whose flags come locked. */
	int un = unshare(CLONE_NEWUSER | CLONE_NEWNS);
	report("nested-unshare", un);
	if (un == 0) {
		report("nested-umount-proc", umount2("/proc", MNT_DETACH));
		report("nested-remount-sys-rw", mount(NULL, "/sys", NULL, MS_REMOUNT | MS_BIND, NULL));
		report("nested-remount-proc-rw", mount(NULL, "/proc", NULL, MS_REMOUNT | MS_BIND, NULL));
		report("nested-write-proc-sys", open_w("/proc/sys/kernel/domainname", 0));
	}
	return 0;
}
