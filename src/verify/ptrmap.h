/* Recorded -> replayed addresses. The first time a recorded address is
 * seen it is paired with the replayed one; from then on the pairing must
 * hold both ways (a recorded pointer always meets the same replayed pointer
 * and vice versa), or the program used its memory differently. */
#ifndef SPERRIPS_PTRMAP_H
#define SPERRIPS_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptrmap {
	struct ptrmap_slot *fwd, *rev;
	size_t cap, n;
};

void ptrmap_init(struct ptrmap *m);
void ptrmap_free(struct ptrmap *m);
/** Check (and learn) that recorded address `rec` corresponds to `rep`.
 *  NULL only matches NULL. Returns true if consistent. */
bool ptrmap_check(struct ptrmap *m, uint64_t rec, uint64_t rep);
/** Number of pairs learned. */
size_t ptrmap_size(const struct ptrmap *m);

#endif
