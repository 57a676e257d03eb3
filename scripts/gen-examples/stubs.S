/* SPDX-License-Identifier: GPL-2.0 */
/* generated from nt_services.tbl, do not edit */

	.section .init_array, "aw"
	.p2align 2
	.long	ntdll_auto_attach

	.text

/* 0x000 = NtClose, 1 argument(s) */
	.globl	NtClose
	.globl	ZwClose
	.type	NtClose, @function
	.type	ZwClose, @function
	.p2align 4
NtClose:
ZwClose:
	movl	$0x000, %eax
	movl	$0x7ffe0300, %edx
	call	*(%edx)
	ret	$0x04
	nop
	.size	NtClose, . - NtClose
	.size	ZwClose, . - ZwClose

/* 0x001 = NtCreateEvent, 5 argument(s) */
	.globl	NtCreateEvent
	.globl	ZwCreateEvent
	.type	NtCreateEvent, @function
	.type	ZwCreateEvent, @function
	.p2align 4
NtCreateEvent:
ZwCreateEvent:
	movl	$0x001, %eax
	movl	$0x7ffe0300, %edx
	call	*(%edx)
	ret	$0x14
	nop
	.size	NtCreateEvent, . - NtCreateEvent
	.size	ZwCreateEvent, . - ZwCreateEvent

/* 0x002 = NtAllocateVirtualMemory, 6 argument(s) */
	.globl	NtAllocateVirtualMemory
	.globl	ZwAllocateVirtualMemory
	.type	NtAllocateVirtualMemory, @function
	.type	ZwAllocateVirtualMemory, @function
	.p2align 4
NtAllocateVirtualMemory:
ZwAllocateVirtualMemory:
	movl	$0x002, %eax
	movl	$0x7ffe0300, %edx
	call	*(%edx)
	ret	$0x18
	nop
	.size	NtAllocateVirtualMemory, . - NtAllocateVirtualMemory
	.size	ZwAllocateVirtualMemory, . - ZwAllocateVirtualMemory

	.section .note.GNU-stack, "", @progbits
