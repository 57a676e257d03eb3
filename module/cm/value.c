// SPDX-License-Identifier: GPL-2.0
/*
 * Registry values and the information classes: NtSetValueKey,
 * NtQueryValueKey, NtEnumerateValueKey, NtDeleteValueKey,
 * NtQueryMultipleValueKey, NtQueryKey, NtEnumerateKey.
 *
 * Partial results follow XP's CmpQueryKeyData / CmpQueryKeyValueData
 * (ReactOS ntoskrnl/config/cmapi.c, cmvalche.c): a buffer shorter than the
 * fixed part of the class is STATUS_BUFFER_TOO_SMALL and nothing is
 * written; a longer one that cannot hold the variable part gets the fixed
 * part and as much of the name (and data) as fits, with
 * STATUS_BUFFER_OVERFLOW; ResultLength is always the full size. Results
 * are built in a kernel buffer under cm_lock and copied out after it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include "cm/cm.h"

/*
 * One information record, built by one function per kind (key, value)
 * that serves both the query and the enumeration, in two passes: sizing
 * (@buf NULL: only @fixed and @need are worked out) and filling (at most
 * @room bytes, min(Length, need), are kept). The same code deciding both
 * is what keeps ResultLength and the bytes written in agreement.
 */
struct cm_out {
	u8 *buf;	/* NULL while sizing */
	u32 room;	/* min(Length, need) */
	u32 need;
	u32 fixed;	/* the part below which a buffer is too small */
	NTSTATUS st;
};

/* Copy @len bytes at @off into the record, as far as the user buffer goes. */
static void cm_put(struct cm_out *o, u32 off, const void *src, u32 len)
{
	if (off >= o->room)
		len = 0;
	else if (len > o->room - off)
		len = o->room - off;
	if (len)
		memcpy(o->buf + off, src, len);
}

/* The fixed part: @len bytes at offset 0. */
static void cm_put_fixed(struct cm_out *o, const void *src, u32 len)
{
	o->fixed = len;
	o->need = max(o->need, len);
	if (o->buf)
		cm_put(o, 0, src, len);
}

/* A variable part of @len at @off: clipped, STATUS_BUFFER_OVERFLOW if so. */
static void cm_put_var(struct cm_out *o, u32 off, const void *src, u32 len)
{
	o->need = max(o->need, off + len);
	if (!o->buf)
		return;
	if (off + len > o->room)
		o->st = STATUS_BUFFER_OVERFLOW;
	cm_put(o, off, src, len);
}

/* Between the passes: the buffer for the filling one, or why there is none. */
static bool cm_out_stage(struct cm_out *o, ULONG length)
{
	if (o->st)
		return false;
	if (length < o->fixed) {
		o->st = STATUS_BUFFER_TOO_SMALL;
		return false;
	}
	o->room = min_t(u32, length, o->need);
	o->buf = kvzalloc(o->room, GFP_KERNEL_ACCOUNT);
	if (!o->buf) {
		o->st = STATUS_INSUFFICIENT_RESOURCES;
		return false;
	}
	return true;
}

/* Class @cls of @key, one pass (cm_lock held). */
static void cm_key_fill(struct cm_key *key, ULONG cls, struct cm_out *o)
{
	u32 n = key->name_len * sizeof(WCHAR);

	switch (cls) {
	case KeyBasicInformation: {
		KEY_BASIC_INFORMATION b = {};

		b.LastWriteTime.QuadPart = key->last_write;
		b.NameLength = n;
		cm_put_fixed(o, &b, offsetof(KEY_BASIC_INFORMATION, Name));
		cm_put_var(o, offsetof(KEY_BASIC_INFORMATION, Name), key->name, n);
		break;
	}
	case KeyNodeInformation: {
		KEY_NODE_INFORMATION b = {};
		u32 off = offsetof(KEY_NODE_INFORMATION, Name);

		b.LastWriteTime.QuadPart = key->last_write;
		b.ClassOffset = key->class_len ? ALIGN(off + n, 4) : 0xffffffff;
		b.ClassLength = key->class_len;
		b.NameLength = n;
		cm_put_fixed(o, &b, off);
		cm_put_var(o, off, key->name, n);
		if (key->class_len)
			cm_put_var(o, b.ClassOffset, key->class, key->class_len);
		break;
	}
	case KeyFullInformation: {
		KEY_FULL_INFORMATION b = {};
		u32 off = offsetof(KEY_FULL_INFORMATION, Class);

		b.LastWriteTime.QuadPart = key->last_write;
		b.ClassOffset = key->class_len ? off : 0xffffffff;
		b.ClassLength = key->class_len;
		b.SubKeys = key->nsub;
		b.MaxNameLen = key->max_name;
		b.MaxClassLen = key->max_class;
		b.Values = key->nval;
		b.MaxValueNameLen = key->max_vname;
		b.MaxValueDataLen = key->max_vdata;
		cm_put_fixed(o, &b, off);
		cm_put_var(o, off, key->class, key->class_len);
		break;
	}
	case KeyNameInformation: {
		u32 len = cm_path_len(key);
		u32 bytes = len * sizeof(WCHAR);
		WCHAR *path = NULL;

		/* the path is spelled out for the filling pass only */
		if (o->buf) {
			path = kvmalloc_array(len, sizeof(WCHAR), GFP_KERNEL);
			if (!path) {
				o->st = STATUS_INSUFFICIENT_RESOURCES;
				break;
			}
			cm_path_fill(key, path, len);
		}
		cm_put_fixed(o, &bytes, sizeof(bytes));
		cm_put_var(o, sizeof(bytes), path, bytes);
		kvfree(path);
		break;
	}
	case KeyCachedInformation: {
		KEY_CACHED_INFORMATION b = {};

		b.LastWriteTime.QuadPart = key->last_write;
		b.SubKeys = key->nsub;
		b.MaxNameLen = key->max_name;
		b.Values = key->nval;
		b.MaxValueNameLen = key->max_vname;
		b.MaxValueDataLen = key->max_vdata;
		b.NameLength = n;
		cm_put_fixed(o, &b, sizeof(b));
		break;
	}
	case KeyFlagsInformation:
		cm_put_fixed(o, &key->user_flags, sizeof(u32));
		break;
	}
}

/*
 * Copy a staged record out and write ResultLength. A record that was
 * never there (deleted key, no such entry, no memory) writes neither; a
 * buffer below the fixed part gets ResultLength only.
 */
static NTSTATUS cm_out_finish(struct cm_out *o, void __user *ubuf,
			      ULONG __user *result)
{
	NTSTATUS st = STATUS_SUCCESS;

	if (NT_ERROR(o->st) && o->st != STATUS_BUFFER_TOO_SMALL) {
		kvfree(o->buf);
		return o->st;
	}
	if (o->buf && o->room && o->st != STATUS_BUFFER_TOO_SMALL)
		st = nt_copy_out(ubuf, o->buf, o->room);
	kvfree(o->buf);
	if (NT_SUCCESS(st))
		st = nt_put_u32(result, o->need);
	return NT_SUCCESS(st) ? o->st : st;
}

/* Probe the out-buffers as XP does before doing anything. */
static NTSTATUS cm_probe(void __user *buf, ULONG len, ULONG __user *result)
{
	if (nt_probe_out(result, sizeof(*result)) || nt_probe_out(buf, len))
		return STATUS_ACCESS_VIOLATION;
	return STATUS_SUCCESS;
}

/* Size, stage and fill one key record (cm_lock held). */
static void cm_key_record(struct cm_key *key, ULONG cls, ULONG length,
			  struct cm_out *o)
{
	o->st = STATUS_SUCCESS;
	cm_key_fill(key, cls, o);
	if (cm_out_stage(o, length))
		cm_key_fill(key, cls, o);
}

NTSTATUS NtQueryKey(HANDLE KeyHandle, ULONG KeyInformationClass,
		    void __user *KeyInformation, ULONG Length,
		    ULONG __user *ResultLength)
{
	struct cm_out o = {};
	struct cm_key *key;
	NTSTATUS st;

	if (KeyInformationClass > KeyFlagsInformation)
		return STATUS_INVALID_PARAMETER;
	st = cm_probe(KeyInformation, Length, ResultLength);
	if (!NT_SUCCESS(st))
		return st;
	/* XP: the name needs no access, every other class KEY_QUERY_VALUE. */
	st = cm_ref_key(KeyHandle, KeyInformationClass == KeyNameInformation ?
			0 : KEY_QUERY_VALUE, &key);
	if (!NT_SUCCESS(st))
		return st;
	down_read(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags))
		o.st = STATUS_KEY_DELETED;
	else
		cm_key_record(key, KeyInformationClass, Length, &o);
	up_read(&cm_lock);
	ntob_put(&key->ob);
	return cm_out_finish(&o, KeyInformation, ResultLength);
}

/*
 * Class @cls of @v, one pass (cm_lock held). Full information puts the
 * data after the name, aligned to 4 bytes, or for
 * KeyValueFullInformationAlign64 to 8 bytes of the user address; a value
 * without data has DataOffset 0xffffffff.
 */
static void cm_value_fill(struct cm_value *v, ULONG cls, void __user *ubuf,
			  struct cm_out *o)
{
	u32 n = v->name_len * sizeof(WCHAR);

	switch (cls) {
	case KeyValueBasicInformation: {
		KEY_VALUE_BASIC_INFORMATION b = {};
		u32 off = offsetof(KEY_VALUE_BASIC_INFORMATION, Name);

		b.Type = v->type;
		b.NameLength = n;
		cm_put_fixed(o, &b, off);
		cm_put_var(o, off, v->name, n);
		break;
	}
	case KeyValueFullInformation:
	case KeyValueFullInformationAlign64: {
		KEY_VALUE_FULL_INFORMATION b = {};
		u32 off = offsetof(KEY_VALUE_FULL_INFORMATION, Name), doff = 0;

		if (v->data_len) {
			u32 a = cls == KeyValueFullInformation ? 4 : 8;
			unsigned long base = (unsigned long)ubuf;

			doff = ALIGN(base + off + n, a) - base;
		}
		b.Type = v->type;
		b.DataOffset = v->data_len ? doff : 0xffffffff;
		b.DataLength = v->data_len;
		b.NameLength = n;
		cm_put_fixed(o, &b, off);
		cm_put_var(o, off, v->name, n);
		if (v->data_len)
			cm_put_var(o, doff, v->data, v->data_len);
		break;
	}
	default: {
		KEY_VALUE_PARTIAL_INFORMATION b = {};
		u32 off = offsetof(KEY_VALUE_PARTIAL_INFORMATION, Data);

		b.Type = v->type;
		b.DataLength = v->data_len;
		cm_put_fixed(o, &b, off);
		cm_put_var(o, off, v->data, v->data_len);
		break;
	}
	}
}

/* Size, stage and fill one value record (cm_lock held). */
static void cm_value_record(struct cm_value *v, ULONG cls, void __user *ubuf,
			    ULONG length, struct cm_out *o)
{
	o->st = STATUS_SUCCESS;
	cm_value_fill(v, cls, ubuf, o);
	if (cm_out_stage(o, length))
		cm_value_fill(v, cls, ubuf, o);
}

/* XP's value classes; the 64-bit partial form came after XP. */
static bool cm_value_class_ok(ULONG cls)
{
	return cls <= KeyValueFullInformationAlign64;
}

NTSTATUS NtQueryValueKey(HANDLE KeyHandle, const UNICODE_STRING __user *ValueName,
			 ULONG KeyValueInformationClass,
			 void __user *KeyValueInformation, ULONG Length,
			 ULONG __user *ResultLength)
{
	struct nt_ustr name;
	struct cm_out o = {};
	struct cm_value *v;
	struct cm_key *key;
	NTSTATUS st;

	if (!cm_value_class_ok(KeyValueInformationClass))
		return STATUS_INVALID_PARAMETER;
	st = cm_probe(KeyValueInformation, Length, ResultLength);
	if (!NT_SUCCESS(st))
		return st;
	st = nt_capture_ustr(ValueName, &name);
	if (!NT_SUCCESS(st))
		return st;
	st = cm_ref_key(KeyHandle, KEY_QUERY_VALUE, &key);
	if (!NT_SUCCESS(st))
		goto out;
	down_read(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags)) {
		o.st = STATUS_KEY_DELETED;
	} else {
		v = cm_find_value(key, name.buf, name.len, NULL);
		if (v)
			cm_value_record(v, KeyValueInformationClass,
					KeyValueInformation, Length, &o);
		else
			o.st = STATUS_OBJECT_NAME_NOT_FOUND;
	}
	up_read(&cm_lock);
	ntob_put(&key->ob);
	st = cm_out_finish(&o, KeyValueInformation, ResultLength);
out:
	nt_release_ustr(&name);
	return st;
}

/*
 * Entry @index of @key's subkeys, or of its values, as class @cls: the
 * enumerations differ only in the list they walk, the access it needs
 * and the record they fill.
 */
static NTSTATUS cm_enumerate(HANDLE h, ULONG index, bool values, ULONG cls,
			     void __user *ubuf, ULONG length,
			     ULONG __user *result)
{
	struct cm_out o = {};
	struct cm_key *key;
	NTSTATUS st;

	st = cm_probe(ubuf, length, result);
	if (!NT_SUCCESS(st))
		return st;
	st = cm_ref_key(h, values ? KEY_QUERY_VALUE : KEY_ENUMERATE_SUB_KEYS,
			&key);
	if (!NT_SUCCESS(st))
		return st;
	down_read(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags))
		o.st = STATUS_KEY_DELETED;
	else if (index >= (values ? key->nval : key->nsub))
		o.st = STATUS_NO_MORE_ENTRIES;
	else if (values)
		cm_value_record(key->val[index], cls, ubuf, length, &o);
	else
		cm_key_record(key->sub[index], cls, length, &o);
	up_read(&cm_lock);
	ntob_put(&key->ob);
	return cm_out_finish(&o, ubuf, result);
}

NTSTATUS NtEnumerateKey(HANDLE KeyHandle, ULONG Index, ULONG KeyInformationClass,
			void __user *KeyInformation, ULONG Length,
			ULONG __user *ResultLength)
{
	if (KeyInformationClass > KeyFullInformation)
		return STATUS_INVALID_PARAMETER;
	return cm_enumerate(KeyHandle, Index, false, KeyInformationClass,
			    KeyInformation, Length, ResultLength);
}

NTSTATUS NtEnumerateValueKey(HANDLE KeyHandle, ULONG Index,
			     ULONG KeyValueInformationClass,
			     void __user *KeyValueInformation, ULONG Length,
			     ULONG __user *ResultLength)
{
	if (!cm_value_class_ok(KeyValueInformationClass))
		return STATUS_INVALID_PARAMETER;
	return cm_enumerate(KeyHandle, Index, true, KeyValueInformationClass,
			    KeyValueInformation, Length, ResultLength);
}

long cm_value_cost(const struct cm_value *v)
{
	return sizeof(*v) + v->name_len * sizeof(WCHAR) + v->data_len;
}

static bool cm_is_link_value(const WCHAR *name, u16 len)
{
	static const char s[] = "SYMBOLICLINKVALUE";
	u16 i;

	if (len != sizeof(s) - 1)
		return false;
	for (i = 0; i < len; i++)
		if (ntob_upcase(name[i]) != s[i])
			return false;
	return true;
}

/* Put @v in @key, replacing a value of the same name (cm_lock held). */
NTSTATUS cm_value_store(struct cm_key *key, struct cm_value *v)
{
	struct cm_value *old;
	u32 index;

	lockdep_assert_held_write(&cm_lock);
	old = cm_find_value(key, v->name, v->name_len, &index);
	if (cm_over_quota(key->hive, cm_value_cost(v) -
			  (old ? cm_value_cost(old) : 0)))
		return STATUS_INSUFFICIENT_RESOURCES;
	if (!old) {
		if (cm_grow((void ***)&key->val, key->nval, &key->val_cap))
			return STATUS_INSUFFICIENT_RESOURCES;
		index = key->nval++;
	} else {
		/* Keep the name as first given; Windows does. */
		memcpy(v->name, old->name, v->name_len * sizeof(WCHAR));
		key->hive->bytes -= cm_value_cost(old);
		kvfree(old);
	}
	key->val[index] = v;
	key->hive->bytes += cm_value_cost(v);
	key->max_vname = max_t(u32, key->max_vname, v->name_len * sizeof(WCHAR));
	key->max_vdata = max_t(u32, key->max_vdata, v->data_len);
	cm_touch(key);
	return STATUS_SUCCESS;
}

/* A value of @name_len WCHARs and @data_len bytes, contents unset. */
struct cm_value *cm_value_alloc(u16 name_len, u32 data_len)
{
	struct cm_value *v;

	v = kvmalloc(sizeof(*v) + name_len * sizeof(WCHAR) + data_len,
		     GFP_KERNEL_ACCOUNT);
	if (!v)
		return NULL;
	v->data_len = data_len;
	v->name_len = name_len;
	v->name = (WCHAR *)v->store;
	v->data = v->store + name_len * sizeof(WCHAR);
	return v;
}

NTSTATUS NtSetValueKey(HANDLE KeyHandle, const UNICODE_STRING __user *ValueName,
		       ULONG TitleIndex, ULONG Type, void __user *Data,
		       ULONG DataSize)
{
	struct cm_value *v;
	struct nt_ustr name;
	struct cm_key *key;
	LIST_HEAD(fired);
	NTSTATUS st;

	st = nt_capture_ustr(ValueName, &name);
	if (!NT_SUCCESS(st))
		return st;
	st = STATUS_INVALID_PARAMETER;
	if (name.len > CM_MAX_VALUE_NAME)
		goto out_name;
	/* XP's own limit is memory; one MiB bounds what one call can pin. */
	st = STATUS_INSUFFICIENT_RESOURCES;
	if (DataSize > CM_MAX_VALUE_DATA)
		goto out_name;
	v = cm_value_alloc(name.len, DataSize);
	if (!v)
		goto out_name;
	v->type = Type;
	if (name.len)
		memcpy(v->name, name.buf, name.len * sizeof(WCHAR));
	st = nt_copy_in(v->data, Data, DataSize);
	if (!NT_SUCCESS(st))
		goto out_v;
	st = cm_ref_key(KeyHandle, KEY_SET_VALUE, &key);
	if (!NT_SUCCESS(st))
		goto out_v;
	down_write(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags)) {
		st = STATUS_KEY_DELETED;
		goto unlock;
	}
	/* A link key holds its target and nothing else (Wine test_symlinks). */
	if (test_bit(CM_KEY_LINK, &key->flags) &&
	    (Type != REG_LINK || !cm_is_link_value(name.buf, name.len))) {
		st = STATUS_ACCESS_DENIED;
		goto unlock;
	}
	st = cm_value_store(key, v);
	if (!NT_SUCCESS(st))
		goto unlock;
	cm_report(key, REG_NOTIFY_CHANGE_LAST_SET, &fired);
	v = NULL;
unlock:
	up_write(&cm_lock);
	cm_notify_complete(&fired);
	ntob_put(&key->ob);
out_v:
	kvfree(v);
out_name:
	nt_release_ustr(&name);
	return st;
}

NTSTATUS NtDeleteValueKey(HANDLE KeyHandle, const UNICODE_STRING __user *ValueName)
{
	LIST_HEAD(fired);
	struct nt_ustr name;
	struct cm_value *v;
	struct cm_key *key;
	NTSTATUS st;
	u32 i;

	st = nt_capture_ustr(ValueName, &name);
	if (!NT_SUCCESS(st))
		return st;
	st = cm_ref_key(KeyHandle, KEY_SET_VALUE, &key);
	if (!NT_SUCCESS(st))
		goto out;
	down_write(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags)) {
		st = STATUS_KEY_DELETED;
	} else {
		v = cm_find_value(key, name.buf, name.len, &i);
		if (!v) {
			st = STATUS_OBJECT_NAME_NOT_FOUND;
		} else {
			memmove(key->val + i, key->val + i + 1,
				(key->nval - i - 1) * sizeof(*key->val));
			key->nval--;
			key->hive->bytes -= cm_value_cost(v);
			kvfree(v);
			cm_touch(key);
			cm_report(key, REG_NOTIFY_CHANGE_LAST_SET, &fired);
		}
	}
	up_write(&cm_lock);
	cm_notify_complete(&fired);
	ntob_put(&key->ob);
out:
	nt_release_ustr(&name);
	return st;
}

/*
 * Several values into one buffer: each entry's data at the next 4-byte
 * boundary (as XP packs them), DataOffset/DataLength/Type written back
 * into the caller's entries. A missing value is STATUS_OBJECT_NAME_NOT_FOUND;
 * a buffer too short is STATUS_BUFFER_OVERFLOW with the entries that fit
 * filled and *RequiredBufferLength the total.
 */
NTSTATUS NtQueryMultipleValueKey(HANDLE KeyHandle, void __user *ValueEntries,
				 ULONG EntryCount, void __user *ValueBuffer,
				 ULONG __user *BufferLength,
				 ULONG __user *RequiredBufferLength)
{
	KEY_VALUE_ENTRY __user *ue = ValueEntries;
	KEY_VALUE_ENTRY *e = NULL;
	struct nt_ustr *names = NULL;
	struct cm_key *key = NULL;
	u32 len, need = 0, i;
	u8 *stage = NULL;
	NTSTATUS st;

	st = nt_copy_in(&len, BufferLength, sizeof(len));
	if (!NT_SUCCESS(st))
		return st;
	if (EntryCount > 0x1000)
		return STATUS_INVALID_PARAMETER;
	if (nt_probe_out(ValueBuffer, len))
		return STATUS_ACCESS_VIOLATION;
	e = kvmalloc_array(EntryCount + 1, sizeof(*e), GFP_KERNEL_ACCOUNT);
	names = kvcalloc(EntryCount + 1, sizeof(*names), GFP_KERNEL_ACCOUNT);
	if (!e || !names) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	st = nt_copy_in(e, ue, EntryCount * sizeof(*e));
	for (i = 0; NT_SUCCESS(st) && i < EntryCount; i++)
		st = nt_capture_ustr(nt_uptr(e[i].ValueName), &names[i]);
	if (!NT_SUCCESS(st))
		goto out;
	st = cm_ref_key(KeyHandle, KEY_QUERY_VALUE, &key);
	if (!NT_SUCCESS(st))
		goto out;
	stage = kvmalloc(min_t(u32, len, CM_MAX_VALUE_DATA * 4) + 1,
			 GFP_KERNEL_ACCOUNT);
	if (!stage) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	len = min_t(u32, len, CM_MAX_VALUE_DATA * 4);
	down_read(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags))
		st = STATUS_KEY_DELETED;
	for (i = 0; NT_SUCCESS(st) && i < EntryCount; i++) {
		struct cm_value *v = cm_find_value(key, names[i].buf,
						   names[i].len, NULL);

		if (!v) {
			st = STATUS_OBJECT_NAME_NOT_FOUND;
			break;
		}
		need = ALIGN(need, 4);
		e[i].DataOffset = need;
		e[i].DataLength = v->data_len;
		e[i].Type = v->type;
		if (need + v->data_len <= len)
			memcpy(stage + need, v->data, v->data_len);
		need += v->data_len;
	}
	up_read(&cm_lock);
	if (!NT_SUCCESS(st))
		goto out;
	if (need > len)
		st = STATUS_BUFFER_OVERFLOW;
	else
		st = nt_copy_out(ValueBuffer, stage, need);
	if (!NT_SUCCESS(st) && st != STATUS_BUFFER_OVERFLOW)
		goto out;
	if (st == STATUS_SUCCESS) {
		NTSTATUS st2 = nt_copy_out(ue, e, EntryCount * sizeof(*e));

		if (NT_SUCCESS(st2))
			st2 = nt_put_u32(BufferLength, need);
		if (!NT_SUCCESS(st2))
			st = st2;
	}
	if (RequiredBufferLength) {
		NTSTATUS st2 = nt_put_u32(RequiredBufferLength, need);

		if (!NT_SUCCESS(st2))
			st = st2;
	}
out:
	if (key)
		ntob_put(&key->ob);
	for (i = 0; names && i < EntryCount; i++)
		nt_release_ustr(&names[i]);
	kvfree(names);
	kvfree(e);
	kvfree(stage);
	return st;
}
