/* Placeholder until the container issue lands: every request for a
 * container is refused with a clear message, never silently ignored. */
#include "container.h"

#include <stdio.h>
#include <stdlib.h>

int container_from_config(struct container_opts **out, const char *mount_point, const char *lower,
			  const char *upper, const char *work, char *err, size_t errlen)
{
	(void)mount_point, (void)lower, (void)upper, (void)work;
	*out = NULL;
	snprintf(err, errlen, "config.json enables the container, which this version does not support yet "
			      "(set container.enable_container to false)");
	return -1;
}

void container_opts_free(struct container_opts *c)
{
	free(c);
}

int container_prepare(struct container_opts *c, struct spawn_opts *o, char *err, size_t errlen)
{
	(void)c, (void)o;
	snprintf(err, errlen, "containers are not supported by this version yet");
	return -1;
}

void container_cleanup(struct container_opts *c)
{
	(void)c;
}
