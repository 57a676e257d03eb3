# SPDX-License-Identifier: GPL-2.0
#
# Thin wrapper: the module is built by Kbuild against the cached Debian i386
# headers (scripts/fetch-deps), user programs with gcc -m32 -static.
#
#   make            module + libntdll + tools + selftests
#   make check      boot the VM once and run every test (the README's command)
#   make demo       boot the VM and run the demo
#   make bench      NT vs Linux call costs (instructions/op, --icount VM)
#   make check-debug  make check on a debug kernel built from linux-source
#   make C=2 / W=1  are passed through to Kbuild (sparse, extra warnings)
#   make checkpatch kernel style of module/ and uapi/
#   make install    modules_install for the running kernel (real i386 machine)
#   make debs       build/debs/ntpersonality-{dkms,tools}_*.deb (docs/packaging.md)
#   make check-packages  apt install/remove both .debs in a Debian i386 guest
#   make check-crash  the registry after hard kills of the VM (scripts/check-crash)

NTP_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ntpersonality
NTP_ENV := $(NTP_CACHE)/current/env.mk
ifeq ($(KDIR),)
-include $(NTP_ENV)
endif
KDIR ?= /lib/modules/$(shell uname -r)/build

TOP := $(CURDIR)
OUT := $(TOP)/build/i386
export TOP OUT NTP_CACHE NTP_KSELFTEST

.PHONY: all module user deps check check-debug checkpatch demo bench clean install help
.PHONY: debs check-packages check-crash
all: module user

# The cross-build needs the toolchain cache; fetch it on first use. A KDIR
# given on the command line (DKMS, a real i386 machine) needs nothing.
ifeq ($(origin KDIR),command line)
deps:
else
deps: $(NTP_ENV)
$(NTP_ENV):
	$(TOP)/scripts/fetch-deps
endif

module: deps
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=x86 modules

user: deps
	$(MAKE) -f $(TOP)/user.mk

check: all
	$(TOP)/scripts/run-tests

demo: all
	$(TOP)/scripts/demo

# Writers journal each flushed registry write, qemu is killed at a random
# moment, the reboot must find every one (docs/registry.md, ~5 min).
check-crash: all
	$(TOP)/scripts/check-crash

# One `scripts/ntvm --icount` boot: NT/Linux pairs in instructions/op,
# written to build/bench/bench.json and charted in build/bench/bench.svg.
# BENCH_FLAGS=--noisy adds a plain boot with wall-clock ns/op (noisy).
bench: all
	$(MAKE) -C $(TOP)/bench
	$(TOP)/scripts/bench $(BENCH_FLAGS)

# The whole suite on a debug kernel (lockdep, KFENCE, UBSAN, ...), built once
# from the pinned linux-source into ~/.cache/ntpersonality-debug (long).
check-debug: deps
	$(TOP)/scripts/check-debug

# Kernel style of the module and the uapi headers. NT ABI names stay as
# Windows spells them (CamelCase fields, typedefs in uapi/nt), uapi cannot
# use BIT(), and TRACE_EVENT has its own layout. Two warnings are meant:
# NtYieldExecution is sched_yield(), so yield(); status.c's errno table
# has an ENOSYS row. In uapi/nt, NT_PTR(type) fields (a pointer for user
# code, a __u32 in the kernel) read to checkpatch as casts and statements.
# Every group is checked even when one fails.
CHECKPATCH := perl $(NTP_CHECKPATCH) --no-tree --quiet --show-types --strict \
	--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES \
	--typedefsfile $(TOP)/scripts/checkpatch-typedefs
checkpatch: deps
	@rc=0; cd $(TOP); \
	$(CHECKPATCH) --ignore CAMELCASE -f $$(git ls-files 'module/*.[ch]' 'module/*.S' \
		':!module/trace.h' ':!module/ke/dispatcher.c' ':!module/status.c') || rc=1; \
	$(CHECKPATCH) --ignore CAMELCASE,YIELD -f module/ke/dispatcher.c || rc=1; \
	$(CHECKPATCH) --ignore CAMELCASE,ENOSYS -f module/status.c || rc=1; \
	$(CHECKPATCH) --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT -f module/trace.h || rc=1; \
	$(CHECKPATCH) --ignore BIT_MACRO -f uapi/ntpersonality.h || rc=1; \
	$(CHECKPATCH) --ignore NEW_TYPEDEFS,CAMELCASE,PREFER_KERNEL_TYPES,PREFER_DEFINED_ATTRIBUTE_MACRO,ARCH_DEFINES,SPACING,LINE_SPACING,COMPLEX_MACRO,MACRO_ARG_REUSE \
		-f $$(git ls-files 'uapi/nt/*.h') || rc=1; \
	exit $$rc

install:
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install

# Debian packages: the DKMS module source and the tools (docs/packaging.md)
debs: user
	$(TOP)/scripts/build-debs

# Installs both packages with apt in a Debian i386 guest and removes them
check-packages: debs
	$(TOP)/scripts/check-packages

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) ARCH=x86 clean 2>/dev/null
	rm -rf $(TOP)/build $(TOP)/module/generated

help:
	@sed -n '3,16p' $(TOP)/Makefile
