#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: packaging/sample-conf.sh EXAMPLE > scst.conf
#
# Prints the /etc/scst.conf that the packages install: a short header and
# EXAMPLE (examples/scst.conf) with every line commented out, so that the
# service configures nothing until the administrator says what to export.
set -euo pipefail
cat <<'HEAD'
# /etc/scst.conf - SCST configuration (see scst.conf(5) and scstctl(8)).
#
# scst.service applies this file at boot ("scstctl apply /etc/scst.conf");
# "systemctl reload scst" applies the changes made since.  Check an edited
# file with "scstctl check /etc/scst.conf"; see what would change with
# "scstctl diff /etc/scst.conf".  "scstctl save" writes the running
# configuration here.
#
# As installed, everything is commented out and nothing is configured.
# What follows is the annotated example shipped with scstctl, commented
# out; uncomment and adapt the parts you need.  (Target driver iscsi and
# the drivers section are not available yet in the kernel modules.)
#
HEAD
sed -e 's/^\(.\)/#\1/' -e 's/^$/#/' "$1"
