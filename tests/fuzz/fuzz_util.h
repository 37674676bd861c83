/* Shared by the fuzz harnesses: the input as a file (the code under test
 * reads paths), in /dev/shm, one per fuzzing process. */
#ifndef SPERRIPS_FUZZ_UTIL_H
#define SPERRIPS_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/** Write `size` bytes to /dev/shm/sperrips-fuzz-NAME-PID; its path, or
 *  NULL if it could not be written. */
static inline const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	static char path[96];
	snprintf(path, sizeof(path), "/dev/shm/sperrips-fuzz-%s-%d", name, (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return NULL;
	size_t k = fwrite(data, 1, size, f);
	if (fclose(f) != 0 || k != size)
		return NULL;
	return path;
}

#endif
