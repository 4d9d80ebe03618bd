# SPDX-License-Identifier: GPL-2.0-only
#
# SCST top-level Makefile.
#
#   make                  build the modules for every supported installed
#                         kernel, scstctl and usr/ (libscstuser and the
#                         scst_user example handlers)
#   make demo             install deps, DKMS-install, boot a VM, run the demo
#   make check            install deps, DKMS-install, unit tests, package
#                         build checks (tests/pkg/build.sh), VM tests (the
#                         kernels side by side; CHECK_VM_FLAGS= for one
#                         kernel after the other), then cluster-smoke
#                         (the multi-VM test marked for make check)
#   make unit             host unit tests only
#   make vm-tests         VM tests only (modules must be DKMS-installed)
#   make check-cluster    the multi-VM tests only (tests/vm/cluster/: two
#                         nodes under corosync, pacemaker and the DLM, on
#                         6.12: cluster-smoke, cluster-fence; 3 to 6 min
#                         each)
#   make check-debug      every VM test on a debug build of 6.12 (KASAN,
#                         lockdep, kmemleak, DEBUG_ATOMIC_SLEEP), built once
#                         and cached in /var/cache/scst-debug (hours: not
#                         part of make check; tests/debug/check.sh)
#   make conformance      libiscsi's iscsi-test-cu, all suites, in the VM,
#                         scst_iscsi and LIO side by side (about 1 h per kernel)
#                         (long: not part of make check)
#   make dkms-install     dkms add/build/install for every supported kernel
#   make dkms-remove      dkms remove --all
#   make dist             source tarball build/scst-VERSION.tar.gz
#   make deb              Debian packages in build/deb/ (dpkg-buildpackage)
#   make rpm              RPM packages in build/rpm/ (rpmbuild --nodeps)
#   make deb-test         install the .debs with apt on this machine, check
#                         DKMS builds for every kernel (also for headers
#                         installed afterwards), remove them, put the
#                         tree's DKMS install back (tests/pkg/dkms-deb.sh;
#                         root, changes the system: not part of check)
#   make install          scstctl, scst.service and helpers (DESTDIR, PREFIX)
#   make bench            benchmark in one VM: local HBA (scst_local vs LIO
#                         tcm_loop) and iSCSI on loopback (scst_iscsi vs
#                         LIO vs tgt), the same fio jobs; Markdown table
#                         and PNG charts in build/bench/ (~20 min idle;
#                         not part of make check; bench/run.sh)

VERSION := $(shell cat VERSION)
KVERS ?= $(shell tests/vm/kernels.sh)
CHECK_VM_FLAGS ?= --parallel-kernels

all: modules scstctl usr

modules:
	@for k in $(KVERS); do \
		$(MAKE) -C src KVER=$$k modules || exit 1; \
	done

scstctl:
	$(MAKE) -C scstctl

usr:
	$(MAKE) -C usr

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
	bash tests/run.sh --unit --pkg --vm --cluster-check $(CHECK_VM_FLAGS)

check-debug: deps
	bash tests/debug/check.sh

check-cluster: deps
	$(MAKE) dkms-install
	bash tests/run.sh --cluster

conformance:
	@for k in $(KVERS); do \
		bash tests/vm/run-vm.sh --kver $$k --timeout 10800 -- \
			tests/vm/conformance/iscsi-test-cu.sh || exit 1; \
	done

demo: deps
	$(MAKE) dkms-install scstctl
	bash tests/vm/run-vm.sh --kver $(lastword $(KVERS)) -- tests/vm/guest/demo.sh

# Benchmark (not part of check), see bench/run.sh; BENCH_ICOUNT=0 for
# plain TCG, BENCH_KVER for another kernel.
bench: deps
	$(MAKE) dkms-install
	bash bench/run.sh $(BENCH_KVER)

clean:
	@for k in $(KVERS); do $(MAKE) -C src KVER=$$k clean; done
	$(MAKE) -C scstctl clean
	$(MAKE) -C usr clean
	rm -rf build

.PHONY: all modules scstctl usr deps dkms-install dkms-remove unit vm-tests \
	check check-debug check-cluster conformance demo clean bench

# Packaging (packaging/).  The version everywhere comes from VERSION.
dist:
	bash packaging/mkdist.sh

deb: dist
	bash packaging/build-deb.sh

rpm: dist
	bash packaging/build-rpm.sh

deb-test: deb
	bash tests/pkg/dkms-deb.sh

# What a package of scstctl installs (not the modules: DKMS does those).
# /etc files are only created when absent.
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
SCST_LIBDIR ?= $(PREFIX)/lib/scst
SYSCONFDIR ?= /etc
UNITDIR ?= $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /lib/systemd/system)
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

install: scstctl
	$(MAKE) -C scstctl install PREFIX=$(PREFIX) SBINDIR=$(SBINDIR)
	install -D -m 0755 systemd/scst-wait $(DESTDIR)$(SCST_LIBDIR)/scst-wait
	install -d $(DESTDIR)$(UNITDIR)
	sed -e 's|/usr/sbin/scstctl|$(SBINDIR)/scstctl|g' \
	    -e 's|/usr/lib/scst/|$(SCST_LIBDIR)/|g' \
	    -e 's|/etc/|$(SYSCONFDIR)/|g' \
	    systemd/scst.service > $(DESTDIR)$(UNITDIR)/scst.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/scst.service
	sed -e 's|/usr/sbin/scstctl|$(SBINDIR)/scstctl|g' \
	    -e 's|/etc/|$(SYSCONFDIR)/|g' \
	    systemd/scst-metrics.service > $(DESTDIR)$(UNITDIR)/scst-metrics.service
	install -m 0644 systemd/scst-metrics.timer $(DESTDIR)$(UNITDIR)/scst-metrics.timer
	chmod 0644 $(DESTDIR)$(UNITDIR)/scst-metrics.service
	install -D -m 0644 scstctl/completion/scstctl $(DESTDIR)$(BASHCOMPDIR)/scstctl
	install -d $(DESTDIR)$(SYSCONFDIR)/default
	[ -e $(DESTDIR)$(SYSCONFDIR)/default/scst ] || \
		install -m 0644 systemd/scst.default $(DESTDIR)$(SYSCONFDIR)/default/scst
	[ -e $(DESTDIR)$(SYSCONFDIR)/scst.conf ] || { \
		bash packaging/sample-conf.sh examples/scst.conf \
			> $(DESTDIR)$(SYSCONFDIR)/scst.conf && \
		chmod 0600 $(DESTDIR)$(SYSCONFDIR)/scst.conf; }

.PHONY: dist deb rpm deb-test install
