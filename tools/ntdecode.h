/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of one NT call for ntstrace: the argument words, the data the
 * tracepoints recorded behind the pointers (module/dispatch_trace.c) and
 * the spec's types and names (NtpServiceInfo()) become a line such as
 *
 *	NtOpenFile([0x10<File \??\C:\etc\motd>], FILE_READ_DATA|SYNCHRONIZE,
 *	  {"\??\C:\etc\motd", OBJ_CASE_INSENSITIVE}, {STATUS_SUCCESS, 1},
 *	  FILE_SHARE_READ, FILE_SYNCHRONOUS_IO_NONALERT) = STATUS_SUCCESS
 *
 * The decoder knows types (OBJECT_ATTRIBUTES, UNICODE_STRING, HANDLE *,
 * IO_STATUS_BLOCK, LARGE_INTEGER, buffers) and parameter names (the flag
 * sets of DesiredAccess, ShareAccess, CreateOptions, Protect, ...), never
 * a service by name, except to name the kind of object a handle is.
 */
#ifndef NTDECODE_H
#define NTDECODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct nt_call {
	int tgid;			/* for the handle names, per process */
	uint32_t nr;
	unsigned int nargs;
	uint32_t args[17];
	uint32_t status;
	int exited;			/* status and exit data are valid */
	int err;			/* the Linux errno the status came from, 0 */
	uint32_t err_status;
	const unsigned char *in;	/* items recorded at entry */
	size_t in_len;
	const unsigned char *out;	/* items recorded at exit */
	size_t out_len;
};

/* Longest buffer or string shown, in characters (-s). */
extern unsigned int ntd_strsize;

/* Print the call's name and arguments (no status) to f. */
void ntd_print_call(FILE *f, const struct nt_call *c);
/* Print " = STATUS_NAME" (or "= ?" if the call has no exit). */
void ntd_print_status(FILE *f, const struct nt_call *c);
/* Remember handles created or closed by a finished call. */
void ntd_track_handles(const struct nt_call *c);

#endif
