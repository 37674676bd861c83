/* What a recording makes replay run is data from another machine: argv,
 * environment and working directory all come from the file. A recording
 * can have been edited on the way (an added LD_PRELOAD is honoured by the
 * loader before the first recorded syscall could differ), or made inside a
 * container whose root the program assumed (its scripts then run on the
 * host). So replay says what it will run, and refuses the container case,
 * before it starts anything. The rules are code: no policy file widens them. */
#include "verify/preflight.h"

#include <string.h>

#include "base/util.h"

/* Variables read by the loader, libc or an interpreter before the program's
 * own code runs: prefixes (ending in '_') and whole names. */
static const char *const loading_vars[] = {
	"LD_", "GLIBC_TUNABLES", "GCONV_PATH", "LOCPATH", "MALLOC_", "HOSTALIASES", "RES_OPTIONS",
	"PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PERL5LIB", "PERL5OPT", "PERLLIB", "RUBYOPT",
	"RUBYLIB", "NODE_OPTIONS", "NODE_PATH", "BASH_ENV", "ENV", "SHELLOPTS", "PS4", "IFS",
};

bool preflight_env_loads(const char *kv)
{
	size_t name_len = strcspn(kv, "=");
	for (size_t i = 0; i < sizeof(loading_vars) / sizeof(loading_vars[0]); i++) {
		size_t n = strlen(loading_vars[i]);
		bool prefix = loading_vars[i][n - 1] == '_';
		if (prefix ? name_len >= n && !strncmp(kv, loading_vars[i], n)
			   : name_len == n && !strncmp(kv, loading_vars[i], n))
			return true;
	}
	return false;
}

/* `s` quoted for a shell-like display, cut at 200 bytes. */
static void put_word(FILE *out, const char *s)
{
	bool plain = *s != 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("/._-=+:,@%", *p)))
			plain = false;
	if (plain) {
		fprintf(out, " %.200s", s);
		return;
	}
	fputs(" '", out);
	for (size_t i = 0; s[i] && i < 200; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\'')
			fputs("'\\''", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('\'', out);
}

void preflight_say_command(FILE *out, const struct job *j, bool in_container)
{
	fprintf(out, "%s: replaying", progname);
	for (size_t i = 0; i < j->argc; i++)
		put_word(out, j->argv[i]);
	fprintf(out, " (working directory %s, root %s)\n", j->workdir ? j->workdir : "as now",
		in_container ? "the container's" : "this host's /");
}

int preflight_check(FILE *out, const struct tf_meta *m, const struct job *j, bool in_container)
{
	if (m->container_root && *m->container_root && !in_container) {
		fprintf(out, "%s: refusing to replay on the host a recording made in a container (--rootfs %s): "
			     "replay it with --rootfs over the same root\n", progname, m->container_root);
		return -1;
	}
	for (size_t i = 0; i < j->n_env; i++)
		if (preflight_env_loads(j->env[i])) {
			fprintf(out, "%s: note: the recording sets", progname);
			put_word(out, j->env[i]);
			fputs(", which changes what the program loads\n", out);
		}
	return 0;
}
