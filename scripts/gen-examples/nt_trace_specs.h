/* SPDX-License-Identifier: GPL-2.0 */
/* generated from nt_services.tbl, do not edit */

	[0x001] = "W...o.....",
	[0x002] = "..X...X.....",
