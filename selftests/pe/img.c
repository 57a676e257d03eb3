// SPDX-License-Identifier: GPL-2.0
/*
 * A PE image for selftests/image.c, linked by the selftests Makefile with
 * different alignments and bases. It is mapped, never run: what matters is
 * its sections. Each holds a pattern the test finds again in the view.
 */
const unsigned char img_rodata[0x1300] = { 'R', 'O', 'D', 'A', 'T', 'A', 1, 2, 3, [0x12ff] = 0x5a };
unsigned char img_data[0x900] = { 'D', 'A', 'T', 'A', 9, 8, 7, [0x8ff] = 0xa5 };
unsigned char img_bss[0x3000];

int img_entry(void)
{
	return img_rodata[0] + img_data[0] + img_bss[0x2fff];
}
