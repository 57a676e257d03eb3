# SPDX-License-Identifier: GPL-2.0
# i386 user programs: static, no PE loader. Built into $(OUT).
CC32 := gcc -m32
CFLAGS32 := -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
	-fno-strict-aliasing -I$(TOP)/uapi -I$(TOP)/libntdll/include
LDFLAGS32 := -static

TOOLS := ntrun ntvm-poweroff ntinfo ntstrace ntcat ntdir ntpeload
TOOL_BINS := $(addprefix $(OUT)/bin/,$(TOOLS))
LIBNTDLL := $(OUT)/lib/libntdll.a

.PHONY: all
all: $(LIBNTDLL) $(TOOL_BINS) $(OUT)/bin/run-selftests selftests

# libntdll/Makefile knows its own dependencies: always ask it; programs
# relink only when the archive really changed.
$(LIBNTDLL): FORCE
	$(MAKE) -C $(TOP)/libntdll
.PHONY: FORCE
FORCE:

# ntdll.dll next to ntpeload, which maps it from its own directory;
# executable, as an image must be (FILE_EXECUTE)
# (libntdll/Makefile builds it when the mingw-w64 compiler is there).
ifneq ($(shell command -v i686-w64-mingw32-gcc 2>/dev/null),)
all: $(OUT)/bin/ntdll.dll
$(OUT)/pe/ntdll.dll: $(LIBNTDLL) ;
$(OUT)/bin/ntdll.dll: $(OUT)/pe/ntdll.dll | $(OUT)/bin
	install -m 755 $< $@
endif

$(OUT)/bin/run-selftests: $(TOP)/scripts/run-selftests | $(OUT)/bin
	install -m 755 $< $@

# ntstrace is two files: the tracer and the decoder
$(OUT)/bin/ntstrace: $(TOP)/tools/ntstrace.c $(TOP)/tools/ntdecode.c \
		     $(TOP)/tools/ntdecode.h $(wildcard $(TOP)/uapi/*.h) $(LIBNTDLL) | $(OUT)/bin
	$(CC32) $(CFLAGS32) $(LDFLAGS32) -o $@ $(filter %.c,$^) -L$(OUT)/lib -lntdll

$(OUT)/bin/%: $(TOP)/tools/%.c $(wildcard $(TOP)/uapi/*.h) $(LIBNTDLL) | $(OUT)/bin
	$(CC32) $(CFLAGS32) $(LDFLAGS32) -o $@ $< -L$(OUT)/lib -lntdll

$(OUT)/bin:
	mkdir -p $@

.PHONY: selftests
selftests: $(LIBNTDLL)
	$(MAKE) -C $(TOP)/selftests
