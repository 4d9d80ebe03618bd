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
# out; uncomment and adapt the parts you need.  A configuration written
# for upstream SCST's scstadmin converts with
# "scstctl import-scstadmin OLD.conf -o NEW.conf".  Objects that scstctl
# created and that leave this file are removed by the next apply or
# reload; "systemctl reload scst" refuses steps that disrupt initiators
# unless /etc/default/scst says SCST_RELOAD_OPTS=--yes.
#
HEAD
sed -e 's/^\(.\)/#\1/' -e 's/^$/#/' "$1"
