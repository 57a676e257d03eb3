#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# uapi/nt/ntstatus.h -> a C table of { value, "STATUS_NAME" } in the order
# of the header (the first name listed for a value wins, so
# STATUS_SUCCESS is printed, not STATUS_WAIT_0). Used by libntdll's
# NtpStatusName(), hence by ASSERT_STATUS and ntstrace.
set -e

usage() {
	echo >&2 "usage: $0 NTSTATUS_H OUTFILE"
	echo >&2 "  NTSTATUS_H  uapi/nt/ntstatus.h"
	echo >&2 "  OUTFILE     the C file to write"
	exit 1
}

[ $# -eq 2 ] || usage
in=$1
out=$2

trap 'rm -f "$out.tmp"' EXIT
${AWK:-awk} '
BEGIN {
	print "/* SPDX-License-Identifier: GPL-2.0 */"
	print "/* generated from ntstatus.h, do not edit */"
	print ""
	print "#include \"status_names.h\""
	print ""
	print "const struct ntp_status_name ntp_status_names[] = {"
	n = 0
}
/^#define[ \t]+(STATUS|DBG)_[A-Z0-9_]+[ \t]+\(\(NTSTATUS\)0x[0-9A-Fa-f]+\)/ {
	v = $3
	sub(/^\(\(NTSTATUS\)/, "", v)
	sub(/\)$/, "", v)
	printf "\t{ %su, \"%s\" },\n", v, $2
	n++
}
END {
	if (n == 0) {
		print "no status codes found" > "/dev/stderr"
		exit 1
	}
	print "};"
	print ""
	print "const unsigned int ntp_status_names_count = " n ";"
}' "$in" > "$out.tmp"
mv "$out.tmp" "$out"
