/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the NT system-call path, for ftrace, perf and ntstrace:
 * ntpersonality:nt_sys_enter (service number, name, argument words, data
 * behind the in pointers) and ntpersonality:nt_sys_exit (service number,
 * NTSTATUS, data behind the out pointers). The data's layout is described
 * in dispatch_trace.c, which records it. ntpersonality:nt_status_errno
 * marks where a Linux errno became an NTSTATUS.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ntpersonality

#if !defined(NTP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define NTP_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(nt_sys_enter,
	TP_PROTO(u32 nr, const char *name, const u32 *args, unsigned int nargs,
		 const u8 *data, unsigned int len),
	TP_ARGS(nr, name, args, nargs, data, len),
	TP_STRUCT__entry(
		__field(u32, nr)
		__string(name, name)
		__field(u32, nargs)
		__array(u32, args, 17)
		__dynamic_array(u8, data, len)
	),
	TP_fast_assign(
		__entry->nr = nr;
		__assign_str(name, name);
		__entry->nargs = nargs;
		memset(__entry->args, 0, sizeof(__entry->args));
		memcpy(__entry->args, args, min_t(unsigned int, nargs, 17) * sizeof(u32));
		if (len)
			memcpy(__get_dynamic_array(data), data, len);
	),
	TP_printk("nr=%#x %s(%s)", __entry->nr, __get_str(name),
		  __print_array(__entry->args, __entry->nargs, sizeof(u32)))
);

TRACE_EVENT(nt_sys_exit,
	TP_PROTO(u32 nr, u32 status, const u8 *data, unsigned int len),
	TP_ARGS(nr, status, data, len),
	TP_STRUCT__entry(
		__field(u32, nr)
		__field(u32, status)
		__dynamic_array(u8, data, len)
	),
	TP_fast_assign(
		__entry->nr = nr;
		__entry->status = status;
		if (len)
			memcpy(__get_dynamic_array(data), data, len);
	),
	TP_printk("nr=%#x status=%#x", __entry->nr, __entry->status)
);

/*
 * A Linux error became an NT status (module/status.c): between a call's
 * enter and exit events, it tells a tracer where the call's status came
 * from (ntstrace prints "= STATUS_ACCESS_DENIED (EACCES)").
 */
TRACE_EVENT(nt_status_errno,
	TP_PROTO(int err, u32 status),
	TP_ARGS(err, status),
	TP_STRUCT__entry(
		__field(int, err)
		__field(u32, status)
	),
	TP_fast_assign(
		__entry->err = err;
		__entry->status = status;
	),
	TP_printk("errno=%d status=%#x", __entry->err, __entry->status)
);

#endif /* NTP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
