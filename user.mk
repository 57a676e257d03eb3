# SPDX-License-Identifier: GPL-2.0
# i386 user programs: static, no PE loader. Built into $(OUT).
CC32 := gcc -m32
CFLAGS32 := -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
	-fno-strict-aliasing -I$(TOP)/uapi -I$(TOP)/libntdll/include
LDFLAGS32 := -static

TOOLS := ntrun ntvm-poweroff ntinfo
TOOL_BINS := $(addprefix $(OUT)/bin/,$(TOOLS))

.PHONY: all
all: $(TOOL_BINS) $(OUT)/bin/run-selftests selftests

$(OUT)/bin/run-selftests: $(TOP)/scripts/run-selftests | $(OUT)/bin
	install -m 755 $< $@

$(OUT)/bin/%: $(TOP)/tools/%.c $(wildcard $(TOP)/uapi/*.h) | $(OUT)/bin
	$(CC32) $(CFLAGS32) $(LDFLAGS32) -o $@ $<

$(OUT)/bin:
	mkdir -p $@

.PHONY: selftests
selftests:
	$(MAKE) -C $(TOP)/selftests
