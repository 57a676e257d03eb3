// SPDX-License-Identifier: GPL-2.0
/*
 * What the tracepoints record of an NT call beyond its argument words: the
 * data behind its pointers, read in the caller's own context while the
 * call is being made (an object name at entry, the handle or the
 * IO_STATUS_BLOCK written at exit), so that a tracer never reads another
 * process's memory after the fact. Which parameter is what comes from the
 * service spec (nt_capture() in scripts/nt-services.awk, generated into
 * nt_trace_specs.h); nothing here knows a service by name.
 *
 * The record is a sequence of items, each a struct nt_trace_item header
 * followed by len bytes:
 *	o  u32 RootDirectory, u32 Attributes, u16 name length, u16 0, name
 *	s  u16 length, u16 0, string
 *	r R  u32 byte count (the length argument), bytes
 *	scalars  the bytes pointed to
 * An unreadable pointer gives an item with NT_TRACE_FAULT and no bytes.
 * Strings and buffers stop at NT_TRACE_BYTES, the whole record at
 * NT_TRACE_RECORD; the tracer is told with NT_TRACE_TRUNC.
 *
 * Costs nothing unless an event is enabled; then one small allocation per
 * call, charged to the caller, freed before the call returns.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include "dispatch.h"
#include "uaccess.h"
#include "nt/ntstatus.h"
#include "generated/nt_services.h"
#include "trace.h"

#define NT_TRACE_BYTES	256
#define NT_TRACE_RECORD	1024

#define NT_TRACE_EXIT	0x01	/* recorded after the call */
#define NT_TRACE_FAULT	0x02	/* the pointer could not be read */
#define NT_TRACE_TRUNC	0x04	/* only the first NT_TRACE_BYTES */

struct nt_trace_item {
	u8 param;		/* 0-based */
	u8 flags;
	u16 len;
} __packed;

static const char *const nt_trace_specs[NT_SERVICE_COUNT] = {
#include "generated/nt_trace_specs.h"
};

struct nt_trace_rec {
	unsigned int len;
	u8 data[NT_TRACE_RECORD];
};

/* Room for an item of @want bytes; NULL when the record is full. */
static struct nt_trace_item *item_begin(struct nt_trace_rec *r, unsigned int param,
					u8 flags, unsigned int want)
{
	struct nt_trace_item *it;

	if (r->len + sizeof(*it) + want > sizeof(r->data))
		return NULL;
	it = (struct nt_trace_item *)(r->data + r->len);
	it->param = param;
	it->flags = flags;
	it->len = 0;
	r->len += sizeof(*it);
	return it;
}

static void item_add(struct nt_trace_rec *r, struct nt_trace_item *it,
		     const void *p, unsigned int n)
{
	memcpy(r->data + r->len, p, n);
	r->len += n;
	it->len += n;
}

/* Copy @n user bytes into the item, or mark it unreadable. */
static bool item_user(struct nt_trace_rec *r, struct nt_trace_item *it,
		      u32 uptr, unsigned int n)
{
	if (!n)
		return true;
	if (nt_copy_in(r->data + r->len, nt_uptr(uptr), n) != STATUS_SUCCESS) {
		it->flags |= NT_TRACE_FAULT;
		return false;
	}
	r->len += n;
	it->len += n;
	return true;
}

/* A UNICODE_STRING at @uptr: its length word, then at most the cap. */
static void put_ustr(struct nt_trace_rec *r, struct nt_trace_item *it, u32 uptr)
{
	struct { u16 len, max; u32 buf; } us;
	u16 hdr[2] = { 0, 0 };
	unsigned int n;

	if (nt_copy_in(&us, nt_uptr(uptr), sizeof(us)) != STATUS_SUCCESS) {
		it->flags |= NT_TRACE_FAULT;
		return;
	}
	hdr[0] = us.len;
	item_add(r, it, hdr, sizeof(hdr));
	n = min_t(unsigned int, us.len & ~1u, NT_TRACE_BYTES);
	if (n < us.len)
		it->flags |= NT_TRACE_TRUNC;
	item_user(r, it, us.buf, n);
}

static void put_oa(struct nt_trace_rec *r, struct nt_trace_item *it, u32 uptr)
{
	struct { u32 length, root, name, attributes, sd, qos; } oa;
	u32 hdr[2];
	u16 none[2] = { 0xffff, 0 };

	if (nt_copy_in(&oa, nt_uptr(uptr), sizeof(oa)) != STATUS_SUCCESS) {
		it->flags |= NT_TRACE_FAULT;
		return;
	}
	hdr[0] = oa.root;
	hdr[1] = oa.attributes;
	item_add(r, it, hdr, sizeof(hdr));
	if (oa.name)
		put_ustr(r, it, oa.name);
	else
		item_add(r, it, none, sizeof(none));
}

static unsigned int base36(char c)
{
	return c >= 'a' ? c - 'a' + 10 : c - '0';
}

/*
 * Record what the spec asks for at this point of the call. At exit only
 * successful calls have their out data recorded: a failed call's out
 * parameters hold whatever the caller left there.
 */
static void nt_trace_capture(struct nt_trace_rec *r, const char *spec,
			     const u32 *args, unsigned int nargs, bool exit,
			     NTSTATUS status)
{
	unsigned int i;

	r->len = 0;
	for (i = 0; i < nargs && spec[2 * i]; i++) {
		char k = spec[2 * i];
		struct nt_trace_item *it;
		unsigned int n, len;
		u32 full;

		if (!args[i] || !strchr(exit ? "BWQRXY" : "osbwqrXY", k))
			continue;
		if (exit && NT_ERROR(status))
			continue;
		it = item_begin(r, i, exit ? NT_TRACE_EXIT : 0, 16);
		if (!it)
			return;
		switch (k) {
		case 'o':
			put_oa(r, it, args[i]);
			break;
		case 's':
			put_ustr(r, it, args[i]);
			break;
		case 'b': case 'B':
			item_user(r, it, args[i], 1);
			break;
		case 'w': case 'W': case 'X':
			item_user(r, it, args[i], 4);
			break;
		case 'q': case 'Q': case 'Y':
			item_user(r, it, args[i], 8);
			break;
		case 'r': case 'R':
			n = base36(spec[2 * i + 1]) - 1;
			full = n < nargs ? args[n] : 0;
			item_add(r, it, &full, sizeof(full));
			len = min_t(unsigned int, full, NT_TRACE_BYTES);
			len = min_t(unsigned int, len, sizeof(r->data) - r->len);
			if (len < full)
				it->flags |= NT_TRACE_TRUNC;
			item_user(r, it, args[i], len);
			break;
		}
	}
}

static struct nt_trace_rec *nt_trace_rec(u32 service, const char **spec)
{
	u32 index = NT_SERVICE_INDEX(service);

	if (NT_SERVICE_TABLE(service) || index >= NT_SERVICE_COUNT)
		return NULL;
	*spec = nt_trace_specs[index];
	if (!*spec)
		return NULL;
	/* may sleep: we are in the caller's system call, as the service is */
	return kmalloc(sizeof(struct nt_trace_rec), GFP_KERNEL_ACCOUNT);
}

void nt_trace_enter(u32 service, const char *name, const u32 *args,
		    unsigned int nargs)
{
	const char *spec = NULL;
	struct nt_trace_rec *r = nt_trace_rec(service, &spec);

	if (r)
		nt_trace_capture(r, spec, args, nargs, false, 0);
	trace_nt_sys_enter(service, name, args, nargs, r ? r->data : NULL,
			   r ? r->len : 0);
	kfree(r);
}

void nt_trace_exit(u32 service, const u32 *args, unsigned int nargs,
		   NTSTATUS status)
{
	const char *spec = NULL;
	struct nt_trace_rec *r = nt_trace_rec(service, &spec);

	if (r)
		nt_trace_capture(r, spec, args, nargs, true, status);
	trace_nt_sys_exit(service, status, r ? r->data : NULL, r ? r->len : 0);
	kfree(r);
}
