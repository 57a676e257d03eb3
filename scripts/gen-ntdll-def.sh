#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl + libntdll/ntdll.exports -> ntdll.def, the export list
# of the PE ntdll.dll. Every service is exported as NtXxx and ZwXxx, both
# naming the one stub _NtXxx@ARGBYTES (gen-stubs.sh --pe), at the same
# address as on XP. The other exports come from ntdll.exports (its
# header documents the format). No ordinals are given: XP's own are not
# public facts we could take, and programs import ntdll by name; the
# linker numbers them in name order from 1.
set -e

usage() {
	echo >&2 "usage: $0 SERVICES_TBL EXPORTS OUTFILE"
	exit 1
}

[ $# -eq 3 ] || usage
tbl=$1
exports=$2
out=$3
lib=$(dirname "$0")/nt-services.awk

trap 'rm -f "$out.tmp"' EXIT
{
	${AWK:-awk} -f "$lib" -f /dev/stdin "$tbl" <<'AWK'
function gen_begin() {
	print "; SPDX-License-Identifier: GPL-2.0"
	print "; generated from nt_services.tbl and ntdll.exports, do not edit"
	print "LIBRARY ntdll.dll"
	print "EXPORTS"
}
function gen_service() {
	sym = name "@" nbytes
	print "\t" name "=" sym
	print "\tZw" substr(name, 3) "=" sym
}
function gen_end() {
}
AWK
	${AWK:-awk} -F '\t' '
	/^#/ || /^[ \t]*$/ { next }
	{
		if (NF < 2 || NF > 3) {
			printf "%s:%d: expected NAME<TAB>KIND[<TAB>TARGET]\n", FILENAME, FNR > "/dev/stderr"
			exit 1
		}
		target = NF == 3 ? $3 : $1
		if ($2 ~ /^stdcall:[0-9]+$/) {
			n = substr($2, 9)
			print "\t" $1 "=" target "@" n
		} else if ($2 == "cdecl" || $2 == "asm") {
			print "\t" (target == $1 ? $1 : $1 "=" target)
		} else {
			printf "%s:%d: unknown kind %s\n", FILENAME, FNR, $2 > "/dev/stderr"
			exit 1
		}
	}' "$exports"
} > "$out.tmp"
mv "$out.tmp" "$out"
