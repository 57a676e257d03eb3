#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl -> nt_protos.h: the typed kernel prototype of every
# service, e.g.
#	NTSTATUS NtClose(HANDLE Handle);
# Pointer parameters are __user pointers. All services are declared (not
# only the impl ones), so an implementation compiles warning-free before
# its table line is flipped to impl.
set -e

usage() {
	echo >&2 "usage: $0 INFILE OUTFILE"
	echo >&2 "  INFILE   module/nt_services.tbl"
	echo >&2 "  OUTFILE  the prototype header to write"
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
	print "#ifndef NT_GENERATED_PROTOS_H"
	print "#define NT_GENERATED_PROTOS_H"
	print ""
	print "#include <linux/compiler.h>"
	print "#include <linux/types.h>"
	print "#include \"nt/ntdef.h\""
	print "#include \"nt/ntstatus.h\""
	print "#include \"nt/access.h\""
	print "#include \"nt/ntobj.h\""
	print "#include \"nt/ntfile.h\""
	print "#include \"nt/ntmm.h\""
	print "#include \"nt/ntex.h\""
	print "#include \"nt/ntps.h\""
}
function gen_service(	i, items, head) {
	head = "NTSTATUS " name "("
	if (nparams == 0) {
		items[1] = "void"
		nparams = 1
	} else {
		for (i = 1; i <= nparams; i++)
			items[i] = nt_decl(nt_ktype(ptype[i]), pname[i])
	}
	printf "\n/* %s = %s, %s */\n", idx, name, state
	print head nt_wrap(items, nparams, length(head), "\t\t", ");")
}
function gen_end() {
	print ""
	print "#endif /* NT_GENERATED_PROTOS_H */"
}
AWK
mv "$out.tmp" "$out"
