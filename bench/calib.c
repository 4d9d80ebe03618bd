// SPDX-License-Identifier: GPL-2.0-only
/*
 * calib N: runs a loop of exactly 2 * N instructions (dec, jnz), for
 * bench/lib.sh's check that guest busy time / 16 ns counts instructions
 * under qemu -icount shift=4.
 */
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;

	if (!n)
		return 0;
	asm volatile("1: dec %0\n\tjnz 1b" : "+r"(n));
	return 0;
}
