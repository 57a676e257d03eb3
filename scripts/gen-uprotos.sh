#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl -> ntdll_services.h, the user-space half of <ntdll.h>:
# for every service its index and argument bytes as constants
# (NTP_INDEX_NtClose, NTP_ARGBYTES_NtClose) and the stdcall prototypes of
# NtXxx and its ZwXxx alias, with the spec's types and SAL annotations
# (as comments).
set -e

usage() {
	echo >&2 "usage: $0 INFILE OUTFILE"
	echo >&2 "  INFILE   module/nt_services.tbl"
	echo >&2 "  OUTFILE  the header to write"
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
	print "#ifndef NTDLL_SERVICES_H"
	print "#define NTDLL_SERVICES_H"
	print ""
	print "/* Included by <ntdll.h>, which defines the types and NTAPI. */"
}
function gen_service(	i, items, head, zw, n) {
	zw = "Zw" substr(name, 3)
	printf "\n/* %s = %s, %s */\n", idx, name, state
	printf "#define NTP_INDEX_%s %s\n", name, idx
	printf "#define NTP_ARGBYTES_%s %s\n", name, bytes
	if (nparams == 0) {
		items[1] = "void"
		n = 1
	} else {
		n = nparams
		for (i = 1; i <= nparams; i++)
			items[i] = "/* " pann[i] " */ " nt_decl(ptype[i], pname[i])
	}
	head = "NTSTATUS NTAPI " name "("
	print head nt_wrap(items, n, length(head), "\t\t", ");")
	head = "NTSTATUS NTAPI " zw "("
	print head nt_wrap(items, n, length(head), "\t\t", ");")
}
function gen_end() {
	print ""
	print "#define NTP_SERVICE_COUNT " nt_count
	print ""
	print "#endif /* NTDLL_SERVICES_H */"
}
AWK
mv "$out.tmp" "$out"
