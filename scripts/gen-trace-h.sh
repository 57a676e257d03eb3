#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl -> nt_trace_specs.h: for each service, what the
# tracepoints record of its pointer arguments (nt_capture() in
# nt-services.awk explains the two characters per parameter), as the
# designated initializers of an array indexed by service number.
set -e

usage() {
	echo >&2 "usage: $0 INFILE OUTFILE"
	echo >&2 "  INFILE   module/nt_services.tbl"
	echo >&2 "  OUTFILE  the initializer list to write"
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
function gen_service(	i, s, any) {
	s = ""
	any = 0
	for (i = 1; i <= nparams; i++) {
		s = s nt_capture(i)
		if (nt_capture(i) != "..")
			any = 1
	}
	if (any)
		printf "\t[%s] = \"%s\",\n", idx, s
}
function gen_end() {
}
AWK
mv "$out.tmp" "$out"
