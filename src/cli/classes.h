/* strace's syscall classes for `show -e`: %file, %desc, %net, %process,
 * %signal, %memory, %ipc, %clock, %creds. */
#ifndef SPERRIPS_CLI_CLASSES_H
#define SPERRIPS_CLI_CLASSES_H

#include <stdbool.h>
#include <stddef.h>

/** Is `name` (with or without the leading '%') a class we know? */
bool sc_class_known(const char *name);
/** Does syscall number `nr` belong to class `name`? False for an unknown class. */
bool sc_class_has(const char *name, unsigned nr);
/** The known classes, comma-separated, for messages. */
const char *sc_class_list(void);

#endif
