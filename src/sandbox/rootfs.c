/* `sperrips rootfs`: a lower layer for the container, built the way the
 * prototype built its own (debootstrap --variant=minbase). A top-level
 * command: it prints and returns an exit status. */
#include "sandbox/container.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"

static const char rootfs_usage[] =
	"usage: sperrips rootfs DIR [--suite bullseye|bookworm] [--include PKG,...] [--mirror URL]\n"
	"build a root file system for --rootfs in DIR with debootstrap --variant=minbase\n"
	"(default suite bookworm, mirror http://deb.debian.org/debian); needs root.\n";

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
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': suite = optarg; break;
		case 'i': include = optarg; break;
		case 'm': mirror = optarg; break;
		case 'h': fputs(rootfs_usage, stdout); return 0;
		default: fputs(rootfs_usage, stderr); return EXIT_USAGE;
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
	if (stat(dir, &st) == 0) {
		char *probe = xmalloc(strlen(dir) + sizeof("/proc"));
		sprintf(probe, "%s/proc", dir);
		bool done = stat(probe, &st) == 0;
		free(probe);
		if (done) {
			warnx_("rootfs: %s already holds a root file system (remove it to build it again)", dir);
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
	fprintf(stderr, "%s: running %s --variant=minbase %s%s%s %s %s\n", progname, deb, inc ? inc : "",
		inc ? " " : "", suite, dir, mirror);
	pid_t pid = fork();
	if (pid < 0) {
		warnx_("rootfs: fork: %s", strerror(errno));
		free(deb);
		free(inc);
		return EXIT_TRACER;
	}
	if (pid == 0) {
		execv(deb, args);
		fprintf(stderr, "%s: rootfs: cannot run %s: %s\n", progname, deb, strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	free(deb);
	free(inc);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		warnx_("rootfs: debootstrap failed (see its log in %s/debootstrap/debootstrap.log if present)", dir);
		return EXIT_NO_TRACEE;
	}
	fprintf(stderr, "%s: root file system ready: use --rootfs %s\n", progname, dir);
	return 0;
}
