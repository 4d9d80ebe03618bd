# SPDX-License-Identifier: GPL-2.0-only
#
# SCST top-level Makefile.
#
#   make                  build the modules for every supported installed
#                         kernel, and scstctl
#   make demo             install deps, DKMS-install, boot a VM, run the demo
#   make check            install deps, DKMS-install, unit + VM tests
#   make unit             host unit tests only
#   make vm-tests         VM tests only (modules must be DKMS-installed)
#   make dkms-install     dkms add/build/install for every supported kernel
#   make dkms-remove      dkms remove --all

VERSION := $(shell cat VERSION)
KVERS ?= $(shell tests/vm/kernels.sh)

all: modules scstctl

modules:
	@for k in $(KVERS); do \
		$(MAKE) -C src KVER=$$k modules || exit 1; \
	done

scstctl:
	$(MAKE) -C scstctl

deps:
	bash tests/install-deps.sh

dkms-install:
	bash tests/dkms.sh install $(KVERS)

dkms-remove:
	bash tests/dkms.sh remove

unit: scstctl
	bash tests/run.sh --unit

vm-tests:
	bash tests/run.sh --vm

check: deps
	$(MAKE) dkms-install
	bash tests/run.sh --unit --vm

demo: deps
	$(MAKE) dkms-install scstctl
	bash tests/vm/run-vm.sh --kver $(lastword $(KVERS)) -- tests/vm/demo.sh

clean:
	@for k in $(KVERS); do $(MAKE) -C src KVER=$$k clean; done
	$(MAKE) -C scstctl clean
	rm -rf build

.PHONY: all modules scstctl deps dkms-install dkms-remove unit vm-tests \
	check demo clean
