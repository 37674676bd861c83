/* crash: writes one line, then dereferences NULL (SIGSEGV). */
#include <unistd.h>

int main(void)
{
	if (write(1, "about to crash\n", 15) != 15)
		return 1;
	volatile int *p = NULL;
	*p = 42;
	return 0;
}
