#ifndef SPERRIPS_SHOW_H
#define SPERRIPS_SHOW_H

#include <stdbool.h>
#include <stddef.h>

/** Print a recording or differences file. Returns the exit status. */
int show_file(const char *path, bool json, size_t strsize, bool show_tid);

#endif
