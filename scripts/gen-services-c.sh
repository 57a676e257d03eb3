#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl -> libntdll services.c: ntp_services[], one entry per
# service with its name, argument count and how a tracer prints each
# argument (behind NtpServiceInfo(), used by ntstrace). Argument kinds:
#	p pointer (NULL or hex)		h HANDLE (hex)
#	b BOOLEAN (FALSE/TRUE)		s NTSTATUS (by name)
#	x flags/masks (hex)		d signed decimal	u unsigned decimal
# plus what the tracepoints record behind each pointer (nt_capture() in
# nt-services.awk, the same string the kernel's capture reads) and the
# parameters as "TYPE NAME" separated by ";", for decoding by type and
# name.
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
	print "/* SPDX-License-Identifier: GPL-2.0 */"
	print "/* generated from nt_services.tbl, do not edit */"
	print ""
	print "#include <ntdll.h>"
	print ""
	print "const struct ntp_service_info ntp_services[] = {"
}
function kind(t, n) {
	if (nt_is_ptr(t))
		return "p"
	if (t == "HANDLE")
		return "h"
	if (t == "BOOLEAN")
		return "b"
	if (t == "NTSTATUS")
		return "s"
	if (t == "ACCESS_MASK" || t == "KAFFINITY")
		return "x"
	if (t == "LONG" || t == "KPRIORITY")
		return "d"
	if (t == "ULONG" && n ~ /(Flags|Options|Attributes|Access|Protect|Type|Code|Filter|Mask|Mode)$/)
		return "x"
	return "u"
}
function gen_service(	i, k, c, p) {
	k = ""
	c = ""
	p = ""
	for (i = 1; i <= nparams; i++) {
		k = k kind(ptype[i], pname[i])
		c = c nt_capture(i)
		p = p (i > 1 ? ";" : "") nt_decl(ptype[i], pname[i])
	}
	printf "\t[%s] = { \"%s\", %d, \"%s\",\n\t\t\"%s\",\n\t\t\"%s\" },\n", idx, name, nparams, k, c, p
}
function gen_end() {
	print "};"
	print ""
	print "const unsigned int ntp_service_count = " nt_count ";"
}
AWK
mv "$out.tmp" "$out"
