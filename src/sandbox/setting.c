/* See setting.h. */
#include "sandbox/setting.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/util.h"
#include "trace/tracer.h"

static uint64_t sig_bit(int sig)
{
	return 1ull << (sig - 1);
}

static bool start_noted;
static uint64_t start_ignored, start_blocked;

/* Ignored dispositions and the blocked mask survive exec; handlers do not
 * (a child starts with those at their default). */
static void sig_current(uint64_t *ignored, uint64_t *blocked)
{
	*ignored = *blocked = 0;
	sigset_t set;
	sigemptyset(&set);
	sigprocmask(SIG_BLOCK, NULL, &set);
	for (int sig = 1; sig <= 64; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			*ignored |= sig_bit(sig);
		if (sigismember(&set, sig) == 1)
			*blocked |= sig_bit(sig);
	}
}

void setting_note_start(void)
{
	sig_current(&start_ignored, &start_blocked);
	start_noted = true;
}

void setting_sig_names(struct strbuf *sb, uint64_t mask)
{
	if (!mask) {
		sb_puts(sb, "none");
		return;
	}
	bool first = true;
	for (int sig = 1; sig <= 64; sig++) {
		if (!(mask & sig_bit(sig)))
			continue;
		const char *n = sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;
		if (n)
			sb_printf(sb, "%s%s", first ? "" : ",", n);
		else
			sb_printf(sb, "%s%d", first ? "" : ",", sig);
		first = false;
	}
}

const char *setting_kind_words(const char *kind)
{
	static const char *const names[][2] = {
		{ "file", "a regular file" }, { "pipe", "a pipe" }, { "tty", "a terminal" },
		{ "null", "/dev/null" }, { "chardev", "a character device" }, { "socket", "a socket" },
		{ "closed", "closed" }, { "other", "something else" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(kind, names[i][0]))
			return names[i][1];
	return kind;
}

const char *setting_fd_kind(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return "closed";
	if (S_ISREG(st.st_mode))
		return "file";
	if (S_ISFIFO(st.st_mode))
		return "pipe";
	if (S_ISSOCK(st.st_mode))
		return "socket";
	if (S_ISCHR(st.st_mode)) {
		if (isatty(fd))
			return "tty";
		/* /dev/null is 1:3 */
		return st.st_rdev == makedev(1, 3) ? "null" : "chardev";
	}
	return "other";
}

int setting_workdir(const char *workdir, const struct setting *want, bool in_container, struct setting_notes *notes,
		    char **out)
{
	*out = NULL;
	if (in_container) {
		/* A path inside the root, where the container's child goes
		 * (its root without one). */
		*out = xstrdup(workdir ? workdir : "/");
		return 0;
	}
	if (!workdir) {
		*out = getcwd(NULL, 0);
		return 0;
	}
	struct stat st;
	int err = stat(workdir, &st) < 0 ? errno : !S_ISDIR(st.st_mode) ? ENOTDIR : 0;
	if (!err) {
		*out = xstrdup(workdir);
		return 0;
	}
	if (!want || !want->workdir_recorded)
		return -err;
	sb_printf(&notes->cannot, "setting: the recorded working directory %s cannot be used here (%s): the program "
		  "starts in this one\n", workdir, strerror(err));
	return 0;
}

/* ---- standard output and error ---- */

static void *drain_main(void *arg)
{
	struct setting_drain *d = arg;
	char buf[65536];
	ssize_t n;
	while ((n = read(d->from, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		for (ssize_t off = 0; n > 0 && off < n;) {
			ssize_t w = write(d->to, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break; /* the caller's end is gone: keep draining */
			off += w;
		}
	return NULL;
}

/* A fresh unnamed file with the recorded access mode and O_APPEND (which
 * changes what calls the file accepts: copy_file_range refuses it). */
static int fresh_file(uint32_t flags)
{
	const char *tmp = getenv("TMPDIR");
	int acc = (flags & O_ACCMODE) == O_WRONLY ? O_WRONLY : O_RDWR;
	int fd = open(tmp && *tmp ? tmp : "/tmp", O_TMPFILE | acc | O_CLOEXEC, 0600);
	if (fd >= 0 && (flags & O_APPEND) && fcntl(fd, F_SETFL, O_APPEND) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool start_drain(struct setting_drain *d)
{
	/* The tracer's SIGINT/TERM/HUP/ALRM must reach the tracer's thread. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	d->running = pthread_create(&d->thread, NULL, drain_main, d) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return d->running;
}

void setting_restore_std(struct setting_run *s, int i, const struct setting *want, int *fd, struct setting_notes *notes)
{
	const char *kind = want ? want->std_kind[i] : NULL;
	if (*fd >= 0 || !kind || !*kind)
		return;
	int caller = i + 1;
	const char *what = i ? "standard error" : "standard output";
	const char *now = setting_fd_kind(caller);
	uint32_t flags = want->signals_known ? want->std_flags[i] : O_WRONLY;
	const char *now_how = "";
	if (!strcmp(now, kind)) {
		int fl = fcntl(caller, F_GETFL);
		/* Of the same kind: the caller's own, unless a file must be
		 * appended to (or not) as recorded. */
		if (strcmp(kind, "file") || !want->signals_known || fl < 0 ||
		    ((uint32_t)fl & O_APPEND) == (flags & O_APPEND))
			return;
		now_how = (fl & O_APPEND) ? " appended to" : " not appended to";
	}
	struct setting_drain *d = &s->drain[i];
	if (!strcmp(kind, "null")) {
		*fd = open("/dev/null", ((flags & O_ACCMODE) == O_RDWR ? O_RDWR : O_WRONLY) | O_CLOEXEC);
	} else if (!strcmp(kind, "file")) {
		*fd = fresh_file(flags);
		if (*fd >= 0) {
			d->from = *fd;
			d->to = caller;
		}
	} else if (!strcmp(kind, "pipe")) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) == 0) {
			*fd = p[1];
			d->from = p[0];
			d->to = caller;
			d->is_pipe = true;
			if (!start_drain(d)) {
				close(p[0]);
				close(p[1]);
				*fd = d->from = -1;
			}
		}
	} else if (!strcmp(kind, "closed")) {
		s->close_std[i] = true;
		sb_printf(&notes->restored, "setting: %s closed, as recorded (it is %s here)\n", what,
			  setting_kind_words(now));
		return;
	}
	if (*fd < 0) {
		sb_printf(&notes->cannot, "setting: %s was %s when recorded and cannot be made so here (it is %s): "
			  "calls that look at it will differ\n", what, setting_kind_words(kind), setting_kind_words(now));
		return;
	}
	sb_printf(&notes->restored, "setting: %s restored as recorded: %s%s%s (it is %s%s here)\n", what,
		  !strcmp(kind, "file") ? "a fresh file" : setting_kind_words(kind),
		  !strcmp(kind, "file") && (flags & O_APPEND) ? " appended to" : "",
		  !strcmp(kind, "null") ? "" : !strcmp(kind, "file") ? ", copied to this one at the end"
									: ", drained to this one",
		  setting_kind_words(now), now_how);
}

void setting_finish(struct setting_run *s, int *fd[2])
{
	for (int i = 0; i < 2; i++) {
		struct setting_drain *d = &s->drain[i];
		if (d->from < 0)
			continue;
		if (d->is_pipe) {
			/* Our copy of the write end: the drain ends at EOF once
			 * the program's copies are closed too. */
			if (*fd[i] >= 0)
				close(*fd[i]);
			*fd[i] = -1;
			if (d->running)
				pthread_join(d->thread, NULL);
			d->running = false;
			close(d->from);
		} else {
			/* The fresh file, from its start, to the caller's
			 * (reopened: it may be write-only). */
			char path[64];
			snprintf(path, sizeof(path), "/proc/self/fd/%d", d->from);
			int rd = open(path, O_RDONLY | O_CLOEXEC);
			if (rd >= 0) {
				int keep = d->from;
				d->from = rd;
				drain_main(d);
				d->from = keep;
				close(rd);
			}
		}
		d->from = -1;
	}
}

/* ---- signal dispositions ---- */

/* In the child, before exec: the dispositions, a recorded closed stdout or
 * stderr, then the container's own hook. Only async-signal-safe calls. */
static int child_setup(void *arg, char *err, size_t errlen)
{
	struct setting_run *s = arg;
	sigset_t set;
	sigemptyset(&set);
	for (int sig = 1; sig <= 64; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = (s->sig_ignored & sig_bit(sig)) ? SIG_IGN : SIG_DFL;
		sigaction(sig, &sa, NULL); /* glibc's own two refuse: fine */
		if (s->sig_blocked & sig_bit(sig))
			sigaddset(&set, sig);
	}
	if (sigprocmask(SIG_SETMASK, &set, NULL) < 0) {
		snprintf(err, errlen, "cannot set the blocked signals: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++)
		if (s->close_std[i])
			close(i + 1);
	return s->next_child ? s->next_child(s->next_arg, err, errlen) : 0;
}

static int parent_setup(void *arg, pid_t child, char *err, size_t errlen)
{
	struct setting_run *s = arg;
	return s->next_parent(s->next_arg, child, err, errlen);
}

void setting_hook_signals(struct setting_run *s, struct spawn_opts *o, const struct setting *want,
			  struct setting_notes *notes)
{
	uint64_t ign, blk;
	if (start_noted) {
		ign = start_ignored;
		blk = start_blocked;
	} else {
		sig_current(&ign, &blk);
	}
	s->sig_ignored = ign;
	s->sig_blocked = blk;
	if (want && want->signals_known) {
		if (want->sig_ignored != ign || want->sig_blocked != blk) {
			struct strbuf *sb = &notes->restored;
			sb_puts(sb, "setting: signal dispositions restored as recorded: ignored ");
			setting_sig_names(sb, want->sig_ignored);
			sb_puts(sb, ", blocked ");
			setting_sig_names(sb, want->sig_blocked);
			sb_puts(sb, " (here: ignored ");
			setting_sig_names(sb, ign);
			sb_puts(sb, ", blocked ");
			setting_sig_names(sb, blk);
			sb_puts(sb, ")\n");
		}
		s->sig_ignored = want->sig_ignored;
		s->sig_blocked = want->sig_blocked;
	}
	/* Ours first, then the container's hooks with their own argument. */
	s->next_child = o->child_setup;
	s->next_parent = o->parent_setup;
	s->next_arg = o->setup_arg;
	o->child_setup = child_setup;
	o->parent_setup = o->parent_setup ? parent_setup : NULL;
	o->setup_arg = s;
}
