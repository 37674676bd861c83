/* i386: two system calls through the 32-bit entry (int $0x80) of a 64-bit
 * program, then one through the 64-bit one. The tracer must not decode the
 * first two with the x86_64 table (i386 4 is write, x86_64 4 is stat). */
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory"); /* i386 getpid */
	static const char msg[] = "i386\n";
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(4L), "b"(1L), "c"(msg), "d"(5L) : "memory"); /* i386 write */
	syscall(SYS_getpid);
	return ret == 5 ? 0 : 1;
}
