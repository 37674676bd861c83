/* `sperrips rootfs`: a lower layer for the container, built the way the
 * prototype built its own (debootstrap --variant=minbase). A top-level
 * command: it prints and returns an exit status. */
#include "sandbox/container.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"

#include "help.h" /* help_rootfs, generated from doc/sperrips-rootfs.1.scd */

/* Unmount whatever debootstrap left mounted below `dir` (it mounts /proc
 * and /sys in the target for its second stage), deepest first. */
static void unmount_below(const char *dir)
{
	char real[PATH_MAX];
	if (!realpath(dir, real))
		return;
	size_t n = strlen(real);
	for (int round = 0; round < 16; round++) {
		FILE *f = fopen("/proc/self/mountinfo", "re");
		if (!f)
			return;
		char line[4096], mnt[PATH_MAX], deepest[PATH_MAX] = "";
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 && !strncmp(mnt, real, n) &&
			    mnt[n] == '/' && strlen(mnt) > strlen(deepest))
				snprintf(deepest, sizeof(deepest), "%s", mnt);
		}
		fclose(f);
		if (!*deepest || umount2(deepest, MNT_DETACH) < 0)
			return;
	}
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	remove(path);
	return 0;
}

/* A failed debootstrap leaves a half-built root that the next attempt, and
 * --rootfs, would take for a real one: take it away (the folder itself only
 * if we made it). FTW_MOUNT: never cross into a mount that stayed. */
static void remove_half_built(const char *dir, bool made_it)
{
	unmount_below(dir);
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	if (!made_it)
		mkdir(dir, 0755);
}

static bool dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *e;
	bool empty = true;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

/* The last non-empty line of the log: debootstrap's own reason ("E: ..."). */
static void last_line(const char *log, char *out, size_t len)
{
	*out = 0;
	FILE *f = fopen(log, "re");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (*line)
			snprintf(out, len, "%s", line);
	}
	fclose(f);
}

/* debootstrap lives in /usr/sbin, which an unprivileged PATH may lack. */
static char *find_debootstrap(void)
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin" };
	const char *path = getenv("PATH");
	char buf[4096];
	if (path) {
		while (*path) {
			size_t len = strcspn(path, ":");
			snprintf(buf, sizeof(buf), "%.*s/debootstrap", (int)len, path);
			if (len && access(buf, X_OK) == 0)
				return xstrdup(buf);
			path += len + (path[len] == ':');
		}
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, sizeof(buf), "%s/debootstrap", dirs[i]);
		if (access(buf, X_OK) == 0)
			return xstrdup(buf);
	}
	return NULL;
}

int rootfs_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "suite", required_argument, NULL, 's' },
		{ "include", required_argument, NULL, 'i' },
		{ "mirror", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *suite = "bookworm", *include = NULL, *mirror = "http://deb.debian.org/debian";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 's': suite = optarg; break;
		case 'i': include = optarg; break;
		case 'm': mirror = optarg; break;
		case 'h': fputs(help_rootfs, stdout); return 0;
		default: warnx_("rootfs: unknown option or missing value: %s (see sperrips rootfs --help)",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		warnx_("rootfs: expected exactly one DIR (see sperrips rootfs --help)");
		return EXIT_USAGE;
	}
	const char *dir = argv[optind];
	if (strcmp(suite, "bullseye") && strcmp(suite, "bookworm"))
		warnx_("rootfs: suite %s is neither bullseye nor bookworm; trying it anyway", suite);
	struct stat st;
	bool made_it = stat(dir, &st) != 0;
	if (!made_it) {
		char *probe = xmalloc(strlen(dir) + sizeof("/proc"));
		sprintf(probe, "%s/proc", dir);
		bool done = stat(probe, &st) == 0;
		free(probe);
		if (done) {
			warnx_("rootfs: %s already holds a root file system (remove it to build it again)", dir);
			return EXIT_USAGE;
		}
		if (!dir_is_empty(dir)) {
			warnx_("rootfs: %s is not empty (give a new or empty folder)", dir);
			return EXIT_USAGE;
		}
	}
	char *deb = find_debootstrap();
	if (!deb) {
		warnx_("rootfs: debootstrap is not installed (apt-get install debootstrap)");
		return EXIT_NO_TRACEE;
	}
	if (geteuid() != 0) {
		free(deb);
		warnx_("rootfs: debootstrap needs root (run sperrips rootfs with sudo); the container itself then "
		       "runs without root");
		return EXIT_USAGE;
	}
	char *inc = NULL;
	if (include) {
		inc = xmalloc(strlen(include) + sizeof("--include="));
		sprintf(inc, "--include=%s", include);
	}
	char *args[8];
	int n = 0;
	args[n++] = deb;
	args[n++] = "--variant=minbase";
	if (inc)
		args[n++] = inc;
	args[n++] = (char *)suite;
	args[n++] = (char *)dir;
	args[n++] = (char *)mirror;
	args[n] = NULL;
	/* debootstrap says some 500 lines: into a log, kept if it fails */
	char log[] = "/tmp/sperrips-rootfs-XXXXXX.log";
	int log_fd = mkstemps(log, 4);
	if (log_fd < 0) {
		warnx_("rootfs: cannot create a log file in /tmp: %s", strerror(errno));
		free(deb);
		free(inc);
		return EXIT_OUTPUT;
	}
	fprintf(stderr, "%s: running %s --variant=minbase %s%s%s %s %s (log: %s)\n", progname, deb,
		inc ? inc : "", inc ? " " : "", suite, dir, mirror, log);
	pid_t pid = fork();
	if (pid < 0) {
		warnx_("rootfs: fork: %s", strerror(errno));
		free(deb);
		free(inc);
		return EXIT_TRACER;
	}
	if (pid == 0) {
		dup2(log_fd, 1);
		dup2(log_fd, 2);
		execv(deb, args);
		fprintf(stderr, "%s: rootfs: cannot run %s: %s\n", progname, deb, strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	free(deb);
	free(inc);
	close(log_fd);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char why[1100];
		last_line(log, why, sizeof(why));
		remove_half_built(dir, made_it);
		warnx_("rootfs: debootstrap failed%s%s; %s removed, its log kept in %s", *why ? ": " : "", why,
		       made_it ? dir : "what it put in the folder", log);
		return EXIT_OUTPUT;
	}
	unlink(log);
	fprintf(stderr, "%s: root file system ready: use --rootfs %s\n", progname, dir);
	return 0;
}
