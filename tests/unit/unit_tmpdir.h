/* A fresh folder for a unit test group's files: the group's setup makes
 * it, its teardown removes it with what is in it. Included by the tests
 * that write files (one copy of the fixture, not one per test file). */
#ifndef SPERRIPS_UNIT_TMPDIR_H
#define SPERRIPS_UNIT_TMPDIR_H
#include <stdio.h>
#include <stdlib.h>

static char tmpdir[] = "/tmp/sperrips-unit-XXXXXX";

static int setup_dir(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* TMPDIR/name, in one of 8 buffers used in turn (a call may take a few). */
static char *path_in(const char *name)
{
	static char buf[8][256];
	static int k;
	char *p = buf[k++ % 8];
	snprintf(p, 256, "%s/%s", tmpdir, name);
	return p;
}

#endif
