// SPDX-License-Identifier: GPL-2.0
/*
 * The Linux side of the exec-to-exit pair: a static ELF program doing
 * what selftests/pe/hello.exe does (one line on stdout, exit status 42).
 */
#include <unistd.h>

int main(void)
{
	static const char msg[] = "hello from a native NT program\n";

	return write(1, msg, sizeof(msg) - 1) == sizeof(msg) - 1 ? 42 : 1;
}
