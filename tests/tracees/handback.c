/* handback MODE FILE: gets an identifier from the kernel and hands it back,
 * moving the bytes of FILE through the object it names, then prints them.
 * Replay writes the recorded identifier into the program, so each mode only
 * replays if the identifier is translated on its way back. Modes:
 *   pid      its own pid to sched_{get,set}{param,scheduler,affinity,attr},
 *            {get,set}priority, kill (pid and -pgid), tkill, tgkill, prlimit64,
 *            getpgid, setpgid, getsid, ioprio_{get,set}, kcmp, fcntl(F_SETOWN
 *            pid and -pgid, F_SETOWN_EX), ioctl(SIOCSPGRP), rt_(tg)sigqueueinfo,
 *            waitid (a child), process_vm_readv/writev (the bytes)
 *   pidfd    pidfd_open(own pid), pidfd_send_signal, pidfd_getfd (the bytes)
 *   ipc      msgget, msgsnd/msgrcv (the bytes), msgctl(IPC_RMID)
 *   key      add_key (the bytes), keyctl(READ) of the serial
 *   timer    timer_create, timer_settime/gettime/getoverrun/delete
 *   inode    readlink /proc/self/fd/N of a socket ("socket:[N]"), the bytes through it
 *   handle   name_to_handle_at(FILE), open_by_handle_at, the bytes read through it
 *   handle-new  the same for a new file FILE.new holding the bytes (a new inode)
 *   cred     SO_PEERCRED of a socketpair; SCM_CREDENTIALS with its own pid (the bytes)
 *   sockaddr UDP: bind, getsockname, sendto its own address (the bytes),
 *            recvfrom; then connect to it and send
 * Exit status 0 if every call did what it should. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char data[256];
static ssize_t n_data;

static int fail(const char *what)
{
	printf("%s failed: %s\n", what, strerror(errno));
	return 1;
}

#define CHECK(call, what) do { if ((call) < 0) return fail(what); } while (0)

static int show(const char *how, const char *buf, ssize_t n)
{
	printf("%s: %.*s\n", how, (int)n, buf);
	return n == n_data && !memcmp(buf, data, (size_t)n) ? 0 : 1;
}

static int mode_pid(void)
{
	pid_t pid = (pid_t)syscall(SYS_getpid), tid = (pid_t)syscall(SYS_gettid);
	struct sched_param sp = { 0 };
	CHECK(syscall(SYS_sched_getparam, pid, &sp), "sched_getparam");
	CHECK(syscall(SYS_sched_setparam, pid, &sp), "sched_setparam");
	CHECK(syscall(SYS_sched_setscheduler, pid, SCHED_OTHER, &sp), "sched_setscheduler");
	errno = 0;
	int prio = (int)syscall(SYS_getpriority, PRIO_PROCESS, pid);
	if (errno)
		return fail("getpriority");
	CHECK(syscall(SYS_setpriority, PRIO_PROCESS, pid, 20 - prio), "setpriority");
	CHECK(syscall(SYS_kill, pid, 0), "kill");
	CHECK(syscall(SYS_tgkill, pid, tid, 0), "tgkill");
	struct rlimit r;
	CHECK(syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, NULL, &r), "prlimit64");
	CHECK(syscall(SYS_getpgid, pid), "getpgid");
	CHECK(syscall(SYS_getsid, pid), "getsid");
	int io = (int)syscall(SYS_ioprio_get, 1, pid);
	CHECK(io, "ioprio_get");
	CHECK(syscall(SYS_ioprio_set, 1, pid, io), "ioprio_set");
	cpu_set_t cpus;
	CPU_ZERO(&cpus);
	CHECK(syscall(SYS_sched_getaffinity, pid, sizeof(cpus), &cpus), "sched_getaffinity");
	CHECK(syscall(SYS_sched_setaffinity, pid, sizeof(cpus), &cpus), "sched_setaffinity");
	uint32_t attr[14] = { sizeof(attr) };
	CHECK(syscall(SYS_sched_getattr, pid, attr, sizeof(attr), 0), "sched_getattr");
	CHECK(syscall(SYS_sched_setattr, pid, attr, 0), "sched_setattr");
	CHECK(syscall(SYS_tkill, tid, 0), "tkill");
	CHECK(syscall(SYS_setpgid, pid, pid), "setpgid");
	CHECK(syscall(SYS_kill, -pid, 0), "kill(-pgid)");
	CHECK(syscall(SYS_kcmp, pid, pid, 0 /* KCMP_FILE */, 1, 1), "kcmp");
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	CHECK(syscall(SYS_fcntl, sv[0], F_SETOWN, pid), "fcntl(F_SETOWN)");
	CHECK(syscall(SYS_fcntl, sv[0], F_SETOWN, -pid), "fcntl(F_SETOWN, -pgid)");
	int inet = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(inet, "socket");
	CHECK(ioctl(inet, SIOCSPGRP, &pid), "ioctl(SIOCSPGRP)");
	struct f_owner_ex own = { F_OWNER_TID, tid };
	CHECK(syscall(SYS_fcntl, sv[0], F_SETOWN_EX, &own), "fcntl(F_SETOWN_EX)");
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = pid;
	si.si_uid = getuid();
	CHECK(syscall(SYS_rt_sigqueueinfo, pid, 0, &si), "rt_sigqueueinfo");
	CHECK(syscall(SYS_rt_tgsigqueueinfo, pid, tid, 0, &si), "rt_tgsigqueueinfo");
	pid_t child = (pid_t)syscall(SYS_fork);
	if (child == 0)
		syscall(SYS_exit_group, 7);
	CHECK(child, "fork");
	memset(&si, 0, sizeof(si));
	CHECK(syscall(SYS_waitid, P_PID, child, &si, WEXITED, NULL), "waitid");
	if (si.si_pid != child || si.si_status != 7)
		return printf("waitid: pid %d status %d\n", si.si_pid, si.si_status), 1;
	char buf[256];
	struct iovec local = { buf, (size_t)n_data }, remote = { data, (size_t)n_data };
	ssize_t n = syscall(SYS_process_vm_readv, pid, &local, 1, &remote, 1, 0);
	CHECK(n, "process_vm_readv");
	char copy[256];
	struct iovec there = { copy, (size_t)n };
	CHECK(syscall(SYS_process_vm_writev, pid, &local, 1, &there, 1, 0), "process_vm_writev");
	memcpy(buf, copy, (size_t)n);
	return show("process_vm_readv", buf, n);
}

static int mode_pidfd(void)
{
	pid_t pid = (pid_t)syscall(SYS_getpid);
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	CHECK(pfd, "pidfd_open");
	CHECK(syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0), "pidfd_send_signal");
	int p[2];
	CHECK(pipe(p), "pipe");
	int w = (int)syscall(SYS_pidfd_getfd, pfd, p[1], 0);
	CHECK(w, "pidfd_getfd");
	CHECK(write(w, data, (size_t)n_data), "write");
	char buf[256];
	ssize_t n = read(p[0], buf, sizeof(buf));
	CHECK(n, "read");
	return show("pidfd_getfd", buf, n);
}

static int mode_ipc(void)
{
	int q = (int)syscall(SYS_msgget, IPC_PRIVATE, IPC_CREAT | 0600);
	CHECK(q, "msgget");
	struct { long type; char text[256]; } m = { 1, { 0 } }, got;
	memcpy(m.text, data, (size_t)n_data);
	int rc = 1;
	if (syscall(SYS_msgsnd, q, &m, (size_t)n_data, 0) < 0) {
		fail("msgsnd");
	} else {
		ssize_t n = syscall(SYS_msgrcv, q, &got, sizeof(got.text), 0, 0);
		rc = n < 0 ? fail("msgrcv") : show("msgrcv", got.text, n);
	}
	CHECK(syscall(SYS_msgctl, q, IPC_RMID, NULL), "msgctl");
	return rc;
}

static int mode_key(void)
{
	long key = syscall(SYS_add_key, "user", "sperrips:handback", data, (size_t)n_data, KEY_SPEC_PROCESS_KEYRING);
	CHECK(key, "add_key");
	char buf[256];
	long n = syscall(SYS_keyctl, KEYCTL_READ, key, buf, sizeof(buf));
	CHECK(n, "keyctl(READ)");
	CHECK(syscall(SYS_keyctl, KEYCTL_SETPERM, key, 0x3f3f0000), "keyctl(SETPERM)");
	CHECK(syscall(SYS_keyctl, KEYCTL_INVALIDATE, key), "keyctl(INVALIDATE)");
	return show("keyctl", buf, n);
}

static int mode_timer(void)
{
	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_NONE;
	int id = -1;
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id), "timer_create");
	struct itimerspec its = { { 0, 0 }, { 5, 0 } }, cur;
	CHECK(syscall(SYS_timer_settime, id, 0, &its, NULL), "timer_settime");
	CHECK(syscall(SYS_timer_gettime, id, &cur), "timer_gettime");
	CHECK(syscall(SYS_timer_getoverrun, id), "timer_getoverrun");
	CHECK(syscall(SYS_timer_delete, id), "timer_delete");
	return show("timer", data, n_data);
}

static int mode_inode(void)
{
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	char path[64], link[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", sv[0]);
	ssize_t l = readlink(path, link, sizeof(link) - 1);
	CHECK(l, "readlink");
	link[l] = 0;
	if (strncmp(link, "socket:[", 8))
		return printf("readlink: %s\n", link), 1;
	CHECK(write(sv[0], data, (size_t)n_data), "write");
	char buf[256];
	ssize_t n = read(sv[1], buf, sizeof(buf));
	CHECK(n, "read");
	return show("socket", buf, n);
}

static int mode_handle(const char *file)
{
	struct { struct file_handle h; unsigned char b[128]; } fh;
	fh.h.handle_bytes = 128;
	int mnt;
	if (syscall(SYS_name_to_handle_at, AT_FDCWD, file, &fh.h, &mnt, 0) < 0)
		return fail("name_to_handle_at");
	int fd = (int)syscall(SYS_open_by_handle_at, AT_FDCWD, &fh.h, O_RDONLY);
	CHECK(fd, "open_by_handle_at");
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));
	CHECK(n, "read");
	return show("open_by_handle_at", buf, n);
}

static int mode_handle_new(const char *file)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s.new", file);
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd, "open");
	CHECK(write(fd, data, (size_t)n_data), "write");
	close(fd);
	int rc = mode_handle(path);
	unlink(path);
	return rc;
}

static int mode_cred(void)
{
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	struct ucred peer;
	socklen_t pl = sizeof(peer);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &peer, &pl), "getsockopt(SO_PEERCRED)");
	pid_t pid = (pid_t)syscall(SYS_getpid);
	if (peer.pid != pid)
		return printf("SO_PEERCRED: pid %d, own %d\n", peer.pid, pid), 1;
	int dg[2], on = 1;
	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, dg), "socketpair");
	CHECK(setsockopt(dg[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), "setsockopt(SO_PASSCRED)");
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(struct ucred))]; } ctl;
	memset(&ctl, 0, sizeof(ctl));
	ctl.h.cmsg_len = CMSG_LEN(sizeof(struct ucred));
	ctl.h.cmsg_level = SOL_SOCKET;
	ctl.h.cmsg_type = SCM_CREDENTIALS;
	struct ucred me = { pid, getuid(), getgid() };
	memcpy(CMSG_DATA(&ctl.h), &me, sizeof(me));
	struct iovec iov = { data, (size_t)n_data };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
	CHECK(sendmsg(dg[0], &mh, 0), "sendmsg(SCM_CREDENTIALS)");
	char buf[256];
	memset(&ctl, 0, sizeof(ctl));
	iov = (struct iovec){ buf, sizeof(buf) };
	mh = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
	ssize_t n = recvmsg(dg[1], &mh, 0);
	CHECK(n, "recvmsg");
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	struct ucred got = { 0, 0, 0 };
	if (c && c->cmsg_type == SCM_CREDENTIALS)
		memcpy(&got, CMSG_DATA(c), sizeof(got));
	if (got.pid != pid)
		return printf("SCM_CREDENTIALS: pid %d, own %d\n", got.pid, pid), 1;
	return show("SCM_CREDENTIALS", buf, n);
}

static int mode_sockaddr(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s, "socket");
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	CHECK(bind(s, (struct sockaddr *)&a, sizeof(a)), "bind");
	socklen_t al = sizeof(a);
	CHECK(getsockname(s, (struct sockaddr *)&a, &al), "getsockname");
	CHECK(sendto(s, data, (size_t)n_data, 0, (struct sockaddr *)&a, sizeof(a)), "sendto");
	char buf[256];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	CHECK(n, "recvfrom");
	if (from.sin_port != a.sin_port)
		return printf("recvfrom: from port %u, own port %u\n", ntohs(from.sin_port), ntohs(a.sin_port)), 1;
	int rc = show("recvfrom", buf, n);
	int c = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(c, "socket");
	CHECK(connect(c, (struct sockaddr *)&a, sizeof(a)), "connect");
	CHECK(send(c, data, (size_t)n_data, 0), "send");
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1 };
	n = recvmsg(s, &mh, 0);
	CHECK(n, "recvmsg");
	return rc | show("recvmsg", buf, n);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return fprintf(stderr, "usage: handback MODE FILE\n"), 2;
	int fd = open(argv[2], O_RDONLY);
	if (fd < 0 || (n_data = read(fd, data, sizeof(data))) < 0)
		return fail(argv[2]);
	close(fd);
	const char *m = argv[1];
	int rc = !strcmp(m, "pid") ? mode_pid() : !strcmp(m, "pidfd") ? mode_pidfd() : !strcmp(m, "ipc") ? mode_ipc()
	       : !strcmp(m, "key") ? mode_key() : !strcmp(m, "timer") ? mode_timer() : !strcmp(m, "inode") ? mode_inode()
	       : !strcmp(m, "handle") ? mode_handle(argv[2]) : !strcmp(m, "sockaddr") ? mode_sockaddr()
	       : !strcmp(m, "handle-new") ? mode_handle_new(argv[2]) : !strcmp(m, "cred") ? mode_cred() : 2;
	fflush(stdout);
	return rc;
}
