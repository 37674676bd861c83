/* keygen: a key pair for signed recordings; and the key files the
 * --sign and --verify options name. */
#include "cli/keygen.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "format/seal.h"
#include "help.h" /* generated from doc/sperrips-*.1.scd */

/* Write `text` to a new file `path` with `mode`; never over an existing
 * one (O_EXCL: a secret key is not to be lost by a slip of the hand).
 * 0 or -errno. */
static int write_new(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	/* the umask may have narrowed it, never widened it: set it exactly */
	int rc = fchmod(fd, mode) < 0 ? -errno : 0;
	size_t n = strlen(text);
	for (size_t done = 0; !rc && done < n;) {
		ssize_t k = write(fd, text + done, n - done);
		if (k < 0 && errno != EINTR)
			rc = -errno;
		else if (k > 0)
			done += (size_t)k;
	}
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (rc)
		unlink(path);
	return rc;
}

int keygen_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help_keygen, stdout);
			exit(0);
		}
		fprintf(stderr, "%s keygen: unknown option %s (see sperrips keygen --help)\n", progname,
			argv[optind - 1]);
		exit(EXIT_USAGE);
	}
	if (optind != argc - 1 || !argv[optind][0]) {
		fprintf(stderr, "%s keygen: expected one NAME (writes NAME.key and NAME.pub; see sperrips keygen "
			"--help)\n", progname);
		exit(EXIT_USAGE);
	}
	const char *name = argv[optind];
	size_t n = strlen(name) + 5;
	char *key = xmalloc(n), *pub = xmalloc(n);
	snprintf(key, n, "%s.key", name);
	snprintf(pub, n, "%s.pub", name);
	/* Both names first: nothing is written if either exists. */
	for (int i = 0; i < 2; i++)
		if (access(i ? pub : key, F_OK) == 0 || errno != ENOENT) {
			warnx_("keygen: %s exists already; not overwritten (remove it or choose another NAME)",
			       i ? pub : key);
			free(key);
			free(pub);
			return EXIT_OUTPUT;
		}
	struct seal_signer s;
	if (seal_keygen(&s) < 0)
		die(EXIT_TRACER, "keygen: libsodium cannot start (no random source)");
	char text[160];
	seal_format_secret(&s, text, sizeof(text));
	int rc = EXIT_SAME;
	int e = write_new(key, text, 0600);
	sodium_memzero(text, sizeof(text));
	sodium_memzero(&s.sk, sizeof(s.sk));
	if (e) {
		warnx_("keygen: cannot write %s: %s", key, strerror(-e));
		rc = EXIT_OUTPUT;
	} else {
		seal_format_public(s.pub, text, sizeof(text));
		e = write_new(pub, text, 0644);
		if (e) {
			warnx_("keygen: cannot write %s: %s", pub, strerror(-e));
			unlink(key);
			rc = EXIT_OUTPUT;
		} else {
			char fp[17];
			seal_fingerprint(s.pub, fp);
			fprintf(stderr, "%s: wrote %s (secret, for record --sign) and %s (for show and replay --verify); "
				"key %s\n", progname, key, pub, fp);
		}
	}
	free(key);
	free(pub);
	return rc;
}

/* The reason a key file was refused, for a one-line message. */
static const char *key_error(int e, const char *kind)
{
	static char why[96];
	if (e == -EINVAL)
		snprintf(why, sizeof(why), "not a sperrips %s key file", kind);
	else if (e == -EPERM)
		snprintf(why, sizeof(why), "a %s key file, not a %s one", strcmp(kind, "public") ? "public" : "secret", kind);
	else
		snprintf(why, sizeof(why), "%s", strerror(-e));
	return why;
}

struct seal_signer *keygen_load_signer(const char *path)
{
	struct seal_signer *s = xmalloc(sizeof(*s));
	int e = seal_read_secret(path, s);
	if (e) {
		free(s);
		die(EXIT_USAGE, "--sign %s: %s (sperrips keygen NAME writes NAME.key)", path, key_error(e, "secret"));
	}
	return s;
}

void keygen_load_public(const char *path, uint8_t pub[32])
{
	int e = seal_read_public(path, pub);
	if (e)
		die(EXIT_USAGE, "--verify %s: %s (sperrips keygen NAME writes NAME.pub)", path, key_error(e, "public"));
}
