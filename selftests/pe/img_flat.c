// SPDX-License-Identifier: GPL-2.0
/*
 * A PE image with SectionAlignment == FileAlignment == 0x200 for
 * selftests/image.c: no .bss, so that every section's RVA is its file
 * offset, which XP demands of such images.
 */
const unsigned char flat_rodata[0x700] = { 'F', 'L', 'A', 'T', [0x6ff] = 0x77 };
unsigned char flat_data[0x300] = { 'f', 'l', 'a', 't', [0x2ff] = 0x66 };

int flat_entry(void)
{
	return flat_rodata[0] + flat_data[0];
}
