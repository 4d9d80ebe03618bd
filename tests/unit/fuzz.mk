# SPDX-License-Identifier: GPL-2.0-only
#
# libFuzzer targets of one unit test directory, included by its Makefile.
#
# Every fuzz_NAME.c of the directory is a fuzzer, found by name, built as
# $(BUILD)/fuzz_NAME.  Its seed corpus is the committed directory
# corpus/NAME/ (small valid inputs); what the fuzzer adds goes to
# $(BUILD)/corpus-NAME/, a finding to $(BUILD)/NAME-crash-* (or leak-,
# timeout-, oom-); replay one with ./$(BUILD)/fuzz_NAME FILE.
#
#   make fuzz-list                     names of the fuzzers, one a line
#   make fuzz-build                    build them all
#   make fuzz-build-NAME               build one
#   make fuzz-NAME [FUZZ_SECONDS=n] [FUZZ_SEED=s]
#                                      build and run one, n seconds, with
#                                      libFuzzer's -seed=s (0, the
#                                      default here: a random seed)
#   make fuzz [FUZZ_SECONDS=n]         run each in turn
#
# The including Makefile sets, before the include:
#   BUILD            build directory
#   FUZZ_SRCS        sources linked into every fuzzer (compiled once)
#   FUZZ_HDRS        headers they depend on
#   FUZZ_CFLAGS      include paths, defines
# and may set, per fuzzer:
#   FUZZ_SRCS_NAME           more sources (one line adds a fuzzer that
#                            needs more than FUZZ_SRCS)
#   FUZZ_MAX_LEN_NAME        -max_len (default 4096)
#   FUZZ_FLAGS_NAME          more libFuzzer flags (-use_value_profile=1
#                            to be led by the values of comparisons)
#   FUZZ_SEEDS_NAME          a prerequisite target that fills
#                            $(BUILD)/seeds-NAME/ from files committed
#                            elsewhere (added to the corpus)
#   FUZZ_KNOWN_FAIL          NAME:PATTERN words: a finding of NAME whose
#                            report contains PATTERN is a known one
#                            (XFAIL in tests/unit/fuzz.sh), any other
#                            finding still fails
#   FUZZ_ENV                 environment for the run
#   FUZZ_LIBS                libraries
#
# fuzz_check.h (beside this file) has CHECK(), the invariant check.
# Sanitizers: ASan (with LeakSanitizer) and UBSan, no recovery: any report
# ends the run with a non-zero status.

FUZZ_MK_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
CLANG ?= clang
FUZZ_SECONDS ?= 20
FUZZ_DIR ?= .
FUZZ_WARN ?= -Wall -Wextra -Werror
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

FUZZERS := $(sort $(patsubst fuzz_%.c,%,$(notdir $(wildcard $(FUZZ_DIR)/fuzz_*.c))))
FUZZ_RUN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(FUZZ_ENV)

.PHONY: fuzz fuzz-build fuzz-list fuzz-known-fail $(addprefix fuzz-,$(FUZZERS)) \
	$(addprefix fuzz-build-,$(FUZZERS))

fuzz-list:
	@for f in $(FUZZERS); do echo $$f; done

fuzz-known-fail:
	@for f in $(FUZZ_KNOWN_FAIL); do echo $$f; done

fuzz-build: $(addprefix $(BUILD)/fuzz_,$(FUZZERS))

$(addprefix fuzz-build-,$(FUZZERS)): fuzz-build-%: $(BUILD)/fuzz_%

# FUZZ_SRCS are compiled once per directory (instrumented for coverage
# and the sanitizers) and linked into each fuzzer.
FUZZ_OBJDIR := $(BUILD)/fuzz-obj
FUZZ_OBJS := $(addprefix $(FUZZ_OBJDIR)/,$(notdir $(FUZZ_SRCS:.c=.o)))
FUZZ_CC = $(CLANG) -std=gnu11 $(FUZZ_WARN) -O1 -g -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -I$(FUZZ_MK_DIR) $(FUZZ_CFLAGS)

$(FUZZ_OBJDIR):
	mkdir -p $@

# Secondary expansion: the source of an object, the per-fuzzer sources.
.SECONDEXPANSION:
FUZZ_PCT := %
$(FUZZ_OBJDIR)/%.o: $$(filter $$(FUZZ_PCT)/$$*.c,$(FUZZ_SRCS)) $(FUZZ_HDRS) \
		| $(FUZZ_OBJDIR)
	$(FUZZ_CC) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

$(BUILD)/fuzz_%: $(FUZZ_DIR)/fuzz_%.c $(FUZZ_OBJS) $$(FUZZ_SRCS_$$*) \
		$(FUZZ_HDRS) $(FUZZ_MK_DIR)fuzz_check.h | $(BUILD)
	$(FUZZ_CC) $(FUZZ_SAN) -o $@ $< $(FUZZ_OBJS) $(FUZZ_SRCS_$*) \
		$(FUZZ_LIBS)

$(addprefix fuzz-,$(FUZZERS)): fuzz-%: $(BUILD)/fuzz_% $$(FUZZ_SEEDS_$$*)
	@test -d $(FUZZ_DIR)/corpus/$* || \
		{ echo "fuzz_$*: no seed corpus $(FUZZ_DIR)/corpus/$*" >&2; exit 1; }
	@mkdir -p $(BUILD)/corpus-$*
	$(FUZZ_RUN_ENV) ./$(BUILD)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) \
		-max_len=$(or $(FUZZ_MAX_LEN_$*),4096) -timeout=10 \
		-seed=$(or $(FUZZ_SEED),0) \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/$*- $(FUZZ_FLAGS_$*) \
		$(BUILD)/corpus-$* $(FUZZ_DIR)/corpus/$* \
		$(if $(FUZZ_SEEDS_$*),$(BUILD)/seeds-$*)

fuzz: $(addprefix fuzz-,$(FUZZERS))
