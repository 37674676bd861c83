#include "trace/sysstate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "base/util.h"

void sysstate_uname(struct tf_uname *u)
{
	struct utsname n;
	memset(&n, 0, sizeof(n));
	uname(&n);
	u->sysname = xstrdup(n.sysname);
	u->nodename = xstrdup(n.nodename);
	u->release = xstrdup(n.release);
	u->version = xstrdup(n.version);
	u->machine = xstrdup(n.machine);
	u->domainname = xstrdup(n.domainname);
}

int sysstate_aslr(void)
{
	FILE *f = fopen("/proc/sys/kernel/randomize_va_space", "r");
	int v = -1;
	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

int sysstate_maps(pid_t pid, struct tf_meta *m)
{
	char path[64], line[4096 + 128];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -errno;
	for (size_t i = 0; i < m->n_ranges; i++)
		free(m->ranges[i].section);
	free(m->ranges);
	m->ranges = NULL;
	m->n_ranges = 0;
	size_t cap = 0;
	while (fgets(line, sizeof(line), f)) {
		uint64_t from, to;
		int off = 0;
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %*s %*s %*s%n", &from, &to, &off) < 2)
			continue;
		char *name = line + off;
		while (*name == ' ')
			name++;
		name[strcspn(name, "\n")] = 0;
		if (m->n_ranges == cap) {
			cap = cap ? cap * 2 : 32;
			struct tf_range *r = realloc(m->ranges, cap * sizeof(*r));
			if (!r) {
				fclose(f);
				return -ENOMEM;
			}
			m->ranges = r;
		}
		m->ranges[m->n_ranges].section = *name ? xstrdup(name) : NULL;
		m->ranges[m->n_ranges].from = (int64_t)from;
		m->ranges[m->n_ranges].to = (int64_t)to;
		m->n_ranges++;
	}
	fclose(f);
	return 0;
}
