#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl + selftests/*.c -> docs/services.md: the coverage table
# (index, name, argument count, implemented?, which selftests mention the
# service as NtXxx or ZwXxx). The output is committed;
# scripts/tests/spec-services-md fails when it is stale. Refresh with
#	scripts/gen-services-md.sh module/nt_services.tbl selftests docs/services.md
set -e

usage() {
	echo >&2 "usage: $0 INFILE SELFTESTS_DIR OUTFILE"
	echo >&2 "  INFILE         module/nt_services.tbl"
	echo >&2 "  SELFTESTS_DIR  directory of the selftest sources (*.c)"
	echo >&2 "  OUTFILE        the markdown file to write"
	exit 1
}

[ $# -eq 3 ] || usage
in=$1
tests=$2
out=$3
lib=$(dirname "$0")/nt-services.awk

trap 'rm -f "$out.tmp" "$out.map"' EXIT
# "NtXxx file" for every service name a selftest source mentions.
: > "$out.map"
for f in "$tests"/*.c; do
	[ -e "$f" ] || continue
	t=$(basename "$f" .c)
	tr -c 'A-Za-z0-9_' '\n' < "$f" | grep -E '^(Nt|Zw)[A-Z][A-Za-z0-9]*$' |
		sed 's/^Zw/Nt/' | sort -u | sed "s/\$/ $t/" >> "$out.map"
done

${AWK:-awk} -v map="$out.map" -f "$lib" -f /dev/stdin "$in" > "$out.tmp" <<'AWK'
function gen_begin(	line, f) {
	while ((getline line < map) > 0) {
		split(line, f, " ")
		tested[f[1]] = (f[1] in tested) ? tested[f[1]] ", " f[2] : f[2]
	}
	close(map)
	nimpl = 0
	ntested = 0
}
function gen_service(	t) {
	t = (name in tested) ? tested[name] : "-"
	if (state == "impl")
		nimpl++
	if (t != "-")
		ntested++
	row[nt_count] = sprintf("| %s | %s | %d | %s | %s |", idx, name, nparams,
				(state == "impl") ? "yes" : "no", t)
}
function gen_end(	i) {
	print "<!-- generated from module/nt_services.tbl and selftests/*.c by"
	print "     scripts/gen-services-md.sh; do not edit -->"
	print "# NT system services: Windows XP SP3, descriptor table 0"
	print ""
	printf "%d of %d services implemented; %d mentioned by a selftest.\n", nimpl, nt_count, ntested
	print ""
	print "\"Implemented\" is the `state` column of `module/nt_services.tbl`; a"
	print "notimpl service returns STATUS_NOT_IMPLEMENTED. \"Tested by\" lists"
	print "the `selftests/*.c` files that name the service (as NtXxx or ZwXxx)."
	print "Refresh after changing either:"
	print ""
	print "    scripts/gen-services-md.sh module/nt_services.tbl selftests docs/services.md"
	print ""
	print "| Index | Service | Args | Implemented | Tested by |"
	print "|------:|---------|-----:|:-----------:|-----------|"
	for (i = 1; i <= nt_count; i++)
		print row[i]
}
AWK
mv "$out.tmp" "$out"
