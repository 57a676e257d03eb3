/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NTP_PS_BINFMT_H
#define NTP_PS_BINFMT_H

/* ps/binfmt.c: the PE binfmt, registered last at load, removed first. */
void ntps_binfmt_init(void);
void ntps_binfmt_exit(void);

#endif
