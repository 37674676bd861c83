#include "sandbox/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "sandbox/container.h"
#include "base/util.h"

/* PATH lookup as a shell does, with the tracer's PATH (the tracee's
 * environment is empty by default and has none). */
static char *resolve(const char *prog)
{
	if (strchr(prog, '/'))
		return xstrdup(prog);
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	size_t n = strlen(prog);
	while (*path) {
		size_t len = strcspn(path, ":");
		char *cand = xmalloc(len + n + 2);
		memcpy(cand, path, len);
		cand[len] = '/';
		memcpy(cand + len + 1, prog, n + 1);
		struct stat st;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
			return cand;
		free(cand);
		path += len + (path[len] == ':');
	}
	return NULL;
}

static int open_output(const char *path, int *fd)
{
	*fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (*fd < 0) {
		warnx_("cannot write %s: %s", path, strerror(errno));
		return EXIT_OUTPUT;
	}
	return 0;
}

void launch_note_privileged(const char *path, bool as_root)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	/* For root, setuid root, setgid root and file capabilities give
	 * nothing its capability sets do not already decide. */
	const char *what = NULL;
	if ((st.st_mode & S_ISUID) && !(as_root && st.st_uid == 0))
		what = "setuid";
	else if ((st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP) && !(as_root && st.st_gid == 0))
		what = "setgid";
	else if (!as_root && getxattr(path, "security.capability", NULL, 0) > 0)
		what = "file-capability";
	if (what)
		fprintf(stderr, "%s: note: %s is a %s program; traced, it runs without those privileges\n", progname,
			path, what);
}

int launch_prepare(struct launch *l, const struct job *j)
{
	memset(l, 0, sizeof(*l));
	l->out_fd = l->err_fd = -1;
	l->set.drain[0].from = l->set.drain[1].from = -1;
	if (!j->argc)
		die(EXIT_USAGE, "no program given");
	if (j->container) {
		/* Inside the container the program is looked up in its root. */
		l->path = xstrdup(j->argv[0]);
	} else {
		l->path = resolve(j->argv[0]);
		struct stat st;
		if (!l->path || stat(l->path, &st) < 0) {
			warnx_("%s: program not found", j->argv[0]);
			return EXIT_NO_TRACEE;
		}
		if (!S_ISREG(st.st_mode) || access(l->path, X_OK) < 0) {
			warnx_("%s: not an executable file", l->path);
			return EXIT_NO_TRACEE;
		}
		/* The kernel grants these under ptrace only when the tracer
		 * holds CAP_SYS_PTRACE, which an ordinary user lacks. */
		if (geteuid() != 0)
			launch_note_privileged(l->path, false);
	}
	int rc = setting_workdir(j->workdir, j->want, j->container != NULL, &l->notes, &l->workdir);
	if (rc < 0) {
		warnx_("working directory %s: %s", j->workdir, strerror(-rc));
		return EXIT_USAGE;
	}
	if (j->stdout_path && (rc = open_output(j->stdout_path, &l->out_fd)))
		return rc;
	if (j->stderr_path) {
		if (j->stdout_path && strcmp(j->stdout_path, j->stderr_path) == 0)
			l->err_fd = fcntl(l->out_fd, F_DUPFD_CLOEXEC, 0); /* dup() would leak it into the tracee */
		else if ((rc = open_output(j->stderr_path, &l->err_fd)))
			return rc;
	}
	setting_restore_std(&l->set, 0, j->want, &l->out_fd, &l->notes);
	setting_restore_std(&l->set, 1, j->want, &l->err_fd, &l->notes);
	l->stdout_kind = l->set.close_std[0] ? "closed" : setting_fd_kind(l->out_fd >= 0 ? l->out_fd : 1);
	l->stderr_kind = l->set.close_std[1] ? "closed" : setting_fd_kind(l->err_fd >= 0 ? l->err_fd : 2);
	for (int i = 0; i < 2; i++) {
		int fd = (i ? l->err_fd : l->out_fd) >= 0 ? (i ? l->err_fd : l->out_fd) : i + 1;
		int fl = l->set.close_std[i] ? -1 : fcntl(fd, F_GETFL);
		l->std_flags[i] = fl < 0 ? 0 : (uint32_t)fl & (O_ACCMODE | O_APPEND);
	}
	l->envp = xcalloc(j->n_env + 1, sizeof(char *));
	for (size_t i = 0; i < j->n_env; i++)
		l->envp[i] = j->env[i];
	struct spawn_opts *o = &l->spawn;
	o->path = l->path;
	o->argv = j->argv;
	o->envp = l->envp;
	o->stdin_data = j->stdin_data;
	o->stdin_len = j->stdin_len;
	o->stdout_fd = l->out_fd;
	o->stderr_fd = l->err_fd;
	o->workdir = l->workdir;
	o->aslr = j->aslr;
	o->hide_vdso = !j->keep_vdso;
	o->pin = j->pin;
	if (j->container) {
		char err[256];
		if (container_prepare(j->container, o, err, sizeof(err)) < 0) {
			warnx_("%s", err);
			return EXIT_USAGE;
		}
	}
	setting_hook_signals(&l->set, o, j->want, &l->notes);
	return 0;
}

void launch_release(struct launch *l)
{
	int *fds[2] = { &l->out_fd, &l->err_fd };
	setting_finish(&l->set, fds);
	free(l->path);
	free(l->envp);
	free(l->workdir);
	l->path = l->workdir = NULL;
	l->envp = NULL;
	sb_free(&l->notes.cannot);
	sb_free(&l->notes.restored);
	if (l->out_fd >= 0)
		close(l->out_fd);
	if (l->err_fd >= 0)
		close(l->err_fd);
	l->out_fd = l->err_fd = -1;
}
