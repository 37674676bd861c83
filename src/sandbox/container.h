/* Running the tracee in a container: new user, mount, PID, UTS and IPC
 * namespaces (and NET with --net=none) over an overlay of a root file
 * system (seed.md, issues 4 and 8). The tracer stays in the host's
 * namespaces; every mount happens inside the child's mount namespace, so the
 * host never sees one, whatever way the run ends. The user namespace maps
 * the caller (root too) to root inside, with no capability but those the
 * job asks for (--cap), so it holds none on the host; NET_RAW on the host's
 * network (--net-raw, root only) gives up the user namespace for a raw
 * socket there. */
#ifndef SPERRIPS_CONTAINER_H
#define SPERRIPS_CONTAINER_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spawn_opts;

struct container_opts {
	char *lower;        /* the overlay's lower layer: a root file system */
	char *upper, *work; /* NULL: fresh folders under a temporary directory */
	char *mount_point;  /* NULL: a temporary folder */
	bool keep_upper;
	bool net_none;
	bool net_raw;       /* --net-raw: the same as --cap NET_RAW */
	uint64_t caps;      /* what the job asked for (--cap), one bit per CAP_* */
	bool caps_implicit; /* config.json's NET_RAW: dropped, not refused, without root */
	bool seccomp;       /* --seccomp: confine_seccomp's denylist */

	/* Filled by container_prepare; released by container_cleanup. */
	char *tmp;          /* the mkdtemp folder holding what we created */
	char *lower_abs, *upper_abs, *work_abs, *mp_abs;
	bool userns;        /* a user namespace maps the caller to root (always
			     * but for NET_RAW on the host's network) */
	int sysfs_fd;       /* root on the host's network: a detached sysfs, or -1 */
	uint64_t keep;      /* the capabilities the program keeps */
	bool prepared;
	struct spawn_opts *spawn; /* the child resolves the program into it */
	char *path_env;     /* PATH for the lookup inside the root */
	char *made[2];      /* the caller's upper/work folders we created */
};

/* The container's command-line options, shared by record and replay:
 * put CONTAINER_LONG_OPTIONS into the getopt_long table and hand every
 * value between CONTAINER_OPT_FIRST and CONTAINER_OPT_LAST to
 * container_parse_opt. */
enum {
	CONTAINER_OPT_FIRST = 0x1000,
	CONTAINER_OPT_ROOTFS = CONTAINER_OPT_FIRST,
	CONTAINER_OPT_UPPER,
	CONTAINER_OPT_WORK,
	CONTAINER_OPT_KEEP_UPPER,
	CONTAINER_OPT_NET,
	CONTAINER_OPT_NET_RAW,
	CONTAINER_OPT_CAP,
	CONTAINER_OPT_SECCOMP,
	CONTAINER_OPT_LAST = CONTAINER_OPT_SECCOMP,
};

#define CONTAINER_LONG_OPTIONS                                                  \
	{ "rootfs", required_argument, NULL, CONTAINER_OPT_ROOTFS },            \
	{ "upper", required_argument, NULL, CONTAINER_OPT_UPPER },              \
	{ "work", required_argument, NULL, CONTAINER_OPT_WORK },                \
	{ "keep-upper", no_argument, NULL, CONTAINER_OPT_KEEP_UPPER },          \
	{ "net", required_argument, NULL, CONTAINER_OPT_NET },                  \
	{ "net-raw", no_argument, NULL, CONTAINER_OPT_NET_RAW },                \
	{ "cap", required_argument, NULL, CONTAINER_OPT_CAP },                  \
	{ "seccomp", no_argument, NULL, CONTAINER_OPT_SECCOMP }

#define CONTAINER_USAGE                                                                        \
	"--rootfs DIR  run PROGRAM in new mount, PID, UTS and IPC namespaces over an overlay\n"   \
	"         of DIR (see rootfs), upper and work layers fresh (--upper, --work: yours;\n"     \
	"         --keep-upper: keep and print it); PROGRAM and --workdir are paths inside.\n"    \
	"         --net=none: only loopback. A user namespace maps you to root inside, with no\n" \
	"         capability but --cap NAME,... (and NET_RAW of its own network with --net=none);\n" \
	"         --net-raw = --cap NET_RAW (root): raw sockets on the host's network. --seccomp:\n" \
	"         deny mount, ptrace of others, kexec, modules, bpf, perf, keyctl & co.\n"

/** Apply one container option (`opt` from CONTAINER_LONG_OPTIONS) to `*c`,
 *  allocating it on first use. 0, or -1 with a one-line reason in `err`. */
int container_parse_opt(struct container_opts **c, int opt, const char *arg, char *err, size_t errlen);

/** Container options from config.json's `container` keys (any may be NULL).
 *  0, or -1 with a one-line reason in `err`. */
int container_from_config(struct container_opts **out, const char *mount_point, const char *lower,
			  const char *upper, const char *work, char *err, size_t errlen);
/** Clean up (container_cleanup) and free. NULL is fine. */
void container_opts_free(struct container_opts *c);
/** Check the options on the host, create the temporary folders and hook
 *  the container into `o` (clone flags, child and parent setup). `o` must
 *  outlive the run. 0, or -1 with a one-line reason in `err` (and nothing
 *  left behind). */
int container_prepare(struct container_opts *c, struct spawn_opts *o, char *err, size_t errlen);
/** Remove what container_prepare created on the host (temporary folders;
 *  the upper layer is kept and its path printed with keep_upper).
 *  Idempotent. Nothing to unmount: the mounts died with the namespace. */
void container_cleanup(struct container_opts *c);
/** The host path of `path` inside the container's upper layer (where a
 *  file the tracee writes there ends up), newly allocated; NULL when the
 *  upper layer is still to be made (no --upper, before container_prepare). */
char *container_upper_path(const struct container_opts *c, const char *path);

/** Where config mode puts its file `name`: the prototype wrote it into
 *  `workdir`, a path inside the container, so this is that folder inside
 *  the upper layer as a host path (created); just `name` (the current
 *  folder) when config.json names no upper layer. Newly allocated. */
char *container_job_file(const struct container_opts *c, const char *workdir, const char *name);

/** `sperrips rootfs DIR [--suite S] [--include PKG,...] [--mirror URL]`:
 *  build a lower layer with debootstrap --variant=minbase. Exit status. */
int rootfs_main(int argc, char **argv);

#endif
