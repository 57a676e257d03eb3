#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl -> nt_thunks.c: descriptor table 0 for the dispatcher.
#  - one thunk per impl service, unpacking the captured 32-bit argument
#    words into the typed call (the dispatcher sees one signature only);
#    notrace: no fentry nop on every NT call for a function that only
#    moves words (the typed Nt* function stays traceable, and the
#    nt_sys_enter/exit tracepoints show every call);
#  - nt_table0_base[]:   the thunk, or nt_not_implemented for notimpl;
#  - nt_table0_number[]: argument bytes (KiArgumentTable);
#  - nt_table0_names[]:  service names for tracing and counters.
set -e

usage() {
	echo >&2 "usage: $0 INFILE OUTFILE"
	echo >&2 "  INFILE   module/nt_services.tbl"
	echo >&2 "  OUTFILE  the C file to write"
	exit 1
}

[ $# -eq 2 ] || usage
in=$1
out=$2
lib=$(dirname "$0")/nt-services.awk

trap 'rm -f "$out.tmp"' EXIT
${AWK:-awk} -f "$lib" -f /dev/stdin "$in" > "$out.tmp" <<'AWK'
function gen_begin() {
	print "// SPDX-License-Identifier: GPL-2.0"
	print "/* generated from nt_services.tbl, do not edit */"
	print ""
	print "#include <linux/types.h>"
	print ""
	print "#include \"dispatch.h\""
	print "#include \"nt_services.h\""
	print "#include \"nt_protos.h\""
	print ""
}
# One argument word converted to the parameter's type.
function unpack(i,	t) {
	t = nt_ktype(ptype[i])
	if (nt_is_ptr(t))
		return "(" t ")(uintptr_t)args[" i - 1 "]"
	return "(" t ")args[" i - 1 "]"
}
function gen_service(	i, items, head) {
	fn[nt_count] = (state == "impl") ? "nt_thunk_" name : "nt_not_implemented"
	nm[nt_count] = name
	nb[nt_count] = bytes
	ix[nt_count] = idx
	if (state != "impl")
		return
	printf "/* %s = %s */\n", idx, name
	print "static NTSTATUS notrace nt_thunk_" name "(const u32 *args)"
	print "{"
	if (nparams == 0) {
		print "\treturn " name "();"
	} else {
		for (i = 1; i <= nparams; i++)
			items[i] = unpack(i)
		head = "\treturn " name "("
		print head nt_wrap(items, nparams, nt_indent_width(head), "\t\t", ");")
	}
	print "}"
	print ""
}
function gen_end(	i) {
	print "const nt_service_fn nt_table0_base[NT_SERVICE_COUNT] = {"
	for (i = 1; i <= nt_count; i++)
		printf "\t[%s] = %s,\t/* %s */\n", ix[i], fn[i], nm[i]
	print "};"
	print ""
	print "const u8 nt_table0_number[NT_SERVICE_COUNT] = {"
	for (i = 1; i <= nt_count; i++)
		printf "\t[%s] = %s,\t/* %s */\n", ix[i], nb[i], nm[i]
	print "};"
	print ""
	print "const char *const nt_table0_names[NT_SERVICE_COUNT] = {"
	for (i = 1; i <= nt_count; i++)
		printf "\t[%s] = \"%s\",\n", ix[i], nm[i]
	print "};"
}
AWK
mv "$out.tmp" "$out"
