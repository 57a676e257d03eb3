#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl -> libntdll stubs.S: for every service the genuine XP SP3
# ntdll stub, exported as NtXxx with a ZwXxx alias at the same address:
#	mov  eax, INDEX
#	mov  edx, 0x7ffe0300	; &SharedUserData->SystemCall
#	call dword ptr [edx]	; KiFastSystemCall or KiIntSystemCall
#	ret  ARGBYTES		; stdcall: the callee pops the arguments
# (plain "ret" when there are none). Which gate [0x7ffe0300] points at is
# the kernel's business (NtpSetSystemCallGate switches it).
#
# The stubs object also registers ntdll_auto_attach() as a constructor, so
# every program that calls an NT service is attached on load, and one that
# only uses the Rtl helpers is not.
set -e

usage() {
	echo >&2 "usage: $0 INFILE OUTFILE"
	echo >&2 "  INFILE   module/nt_services.tbl"
	echo >&2 "  OUTFILE  the i386 assembly file to write"
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
	print "\t.section .init_array, \"aw\""
	print "\t.p2align 2"
	print "\t.long\tntdll_auto_attach"
	print ""
	print "\t.text"
}
function gen_service() {
	printf "\n/* %s = %s, %d argument(s) */\n", idx, name, nparams
	zw = "Zw" substr(name, 3)
	print "\t.globl\t" name
	print "\t.globl\t" zw
	print "\t.type\t" name ", @function"
	print "\t.type\t" zw ", @function"
	print "\t.p2align 4"
	print name ":"
	print zw ":"
	print "\tmovl\t$" idx ", %eax"
	print "\tmovl\t$0x7ffe0300, %edx"
	print "\tcall\t*(%edx)"
	if (nbytes)
		print "\tret\t$" bytes
	else
		print "\tret"
	print "\t.size\t" name ", . - " name
	print "\t.size\t" zw ", . - " zw
}
function gen_end() {
	print ""
	print "\t.section .note.GNU-stack, \"\", @progbits"
}
AWK
mv "$out.tmp" "$out"
