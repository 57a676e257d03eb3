#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl -> nt_services.h: NT_SERVICE_COUNT, an NT_IDX_NtXxx
# constant per service (for the module's own calls of a service, such as a
# thread ending itself), and the X-macro list
#	NT_SERVICE(index, name, argbytes, impl|notimpl)
# in index order (the list is emitted only where NT_SERVICE is defined, so
# the header can be included several times, as ReactOS's sysfuncs.h is).
set -e

usage() {
	echo >&2 "usage: $0 INFILE OUTFILE"
	echo >&2 "  INFILE   module/nt_services.tbl"
	echo >&2 "  OUTFILE  the X-macro header to write"
	exit 1
}

[ $# -eq 2 ] || usage
in=$1
out=$2
lib=$(dirname "$0")/nt-services.awk

trap 'rm -f "$out.tmp"' EXIT
${AWK:-awk} -f "$lib" -f /dev/stdin "$in" > "$out.tmp" <<'AWK'
function gen_begin() {
	print "/* SPDX-License-Identifier: GPL-2.0 */"
	print "/* generated from nt_services.tbl, do not edit */"
	print ""
}
function gen_service() {
	line[nt_count] = sprintf("NT_SERVICE(%s, %s, %s, %s)", idx, name, bytes, state)
	index_line[nt_count] = sprintf("#define NT_IDX_%s %s", name, idx)
}
function gen_end(	i) {
	print "#ifndef NT_SERVICE_COUNT"
	print "#define NT_SERVICE_COUNT " nt_count
	for (i = 1; i <= nt_count; i++)
		print index_line[i]
	print "#endif"
	print ""
	print "#ifdef NT_SERVICE"
	for (i = 1; i <= nt_count; i++)
		print line[i]
	print "#endif"
}
AWK
mv "$out.tmp" "$out"
