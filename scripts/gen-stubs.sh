#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nt_services.tbl -> libntdll stubs.S: for every service the genuine XP SP3
# ntdll stub, exported as NtXxx with a ZwXxx alias at the same address:
#	mov  eax, INDEX
#	mov  edx, 0x7ffe0300	; &SharedUserData->SystemCall
#	call dword ptr [edx]	; KiFastSystemCall or KiIntSystemCall
#	ret  ARGBYTES		; stdcall: the callee pops the arguments
# (plain "ret" when there are none), each at a 16-byte boundary padded
# with one-byte nops (0x90) as XP's are. Which gate [0x7ffe0300] points at is
# the kernel's business (NtpSetSystemCallGate switches it).
#
# The ELF stubs object also registers ntdll_auto_attach() as a
# constructor, so every program that calls an NT service is attached on
# load, and one that only uses the Rtl helpers is not.
#
# With --pe the same stubs are written for the PE ntdll.dll (COFF, built
# by i686-w64-mingw32-as): one label per service, _NtXxx@ARGBYTES, the
# name a stdcall C caller in the DLL links against; the .def file
# (gen-ntdll-def.sh) exports it as NtXxx and ZwXxx. The instruction bytes
# and the 16-byte alignment are the same in both outputs (scripts/tests/
# spec-stubs checks both), and no constructor: LdrInitializeThunk is
# where a PE process starts.
set -e

usage() {
	echo >&2 "usage: $0 [--pe] INFILE OUTFILE"
	echo >&2 "  --pe     COFF for ntdll.dll instead of ELF for libntdll.a"
	echo >&2 "  INFILE   module/nt_services.tbl"
	echo >&2 "  OUTFILE  the i386 assembly file to write"
	exit 1
}

pe=0
if [ "$1" = --pe ]; then
	pe=1
	shift
fi
[ $# -eq 2 ] || usage
in=$1
out=$2
lib=$(dirname "$0")/nt-services.awk

trap 'rm -f "$out.tmp"' EXIT
${AWK:-awk} -v pe=$pe -f "$lib" -f /dev/stdin "$in" > "$out.tmp" <<'AWK'
function gen_begin() {
	print "/* SPDX-License-Identifier: GPL-2.0 */"
	print "/* generated from nt_services.tbl, do not edit */"
	print ""
	if (pe) {
		print "\t.text"
		return
	}
	print "\t.section .init_array, \"aw\""
	print "\t.p2align 2"
	print "\t.long\tntdll_auto_attach"
	print ""
	print "\t.text"
}
# 15 bytes (13 without "ret N"), then one-byte nops to the next 16:
# gas would pad with a multi-byte nop, XP's bytes are 0x90.
function gen_pad(	n) {
	for (n = nbytes ? 15 : 13; n < 16; n++)
		print "\tnop"
}
function gen_service() {
	printf "\n/* %s = %s, %d argument(s) */\n", idx, name, nparams
	zw = "Zw" substr(name, 3)
	if (pe) {
		sym = "_" name "@" nbytes
		print "\t.globl\t" sym
		print "\t.p2align 4"
		print sym ":"
		print "\tmovl\t$" idx ", %eax"
		print "\tmovl\t$0x7ffe0300, %edx"
		print "\tcall\t*(%edx)"
		print (nbytes ? "\tret\t$" bytes : "\tret")
		gen_pad()
		return
	}
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
	gen_pad()
	print "\t.size\t" name ", . - " name
	print "\t.size\t" zw ", . - " zw
}
function gen_end() {
	if (pe)
		return
	print ""
	print "\t.section .note.GNU-stack, \"\", @progbits"
}
AWK
mv "$out.tmp" "$out"
