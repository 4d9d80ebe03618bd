#!/bin/bash
# Usage: tests/vm/conformance/compare.sh DIR...
#
# Side-by-side Markdown table of the iscsi-test-cu tables
# (test-cu-<target>-<lun>.table, written by iscsi-test-cu.sh) found in
# the DIRs: one row per suite, one "pass/fail/skip" column per
# target-lun, then a TOTAL row.  A later DIR's table of the same
# target-lun replaces an earlier one.
set -euo pipefail

[ $# -gt 0 ] || { sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 2; }
files=()
for d in "$@"; do
	for f in "$d"/test-cu-*.table; do
		[ -e "$f" ] && files+=("$f")
	done
done
[ ${#files[@]} -gt 0 ] || { echo "compare: no test-cu-*.table in $*" >&2; exit 1; }

awk '
	FNR == 1 {
		col = FILENAME
		sub(/.*test-cu-/, "", col); sub(/\.table$/, "", col)
		if (!(col in seen)) { seen[col] = 1; cols[++nc] = col }
	}
	/^\| / && $2 != "suite" {
		s = $2
		if (s != "TOTAL" && !(s in known)) { known[s] = 1; rows[++nr] = s }
		cell[s, col] = $4 "/" $6 "/" $8
	}
	END {
		# scst-* before lio-*, fileio before nullio
		n = 0
		for (t = 1; t <= 2; t++)
			for (l = 1; l <= 2; l++)
				for (i = 1; i <= nc; i++) {
					c = cols[i]
					if (index(c, t == 1 ? "scst-" : "lio-") == 1 &&
					    c ~ (l == 1 ? "fileio" : "nullio"))
						order[++n] = c
				}
		for (i = 1; i <= nc; i++) {
			hit = 0
			for (j = 1; j <= n; j++) if (order[j] == cols[i]) hit = 1
			if (!hit) order[++n] = cols[i]
		}
		printf "| suite (pass/fail/skip) |"
		for (j = 1; j <= n; j++) printf " %s |", order[j]
		printf "\n|---|"
		for (j = 1; j <= n; j++) printf "---:|"
		printf "\n"
		rows[++nr] = "TOTAL"
		for (i = 1; i <= nr; i++) {
			s = rows[i]
			printf "| %s |", s == "TOTAL" ? "**TOTAL**" : s
			for (j = 1; j <= n; j++) {
				v = ((s, order[j]) in cell) ? cell[s, order[j]] : "-"
				printf " %s |", s == "TOTAL" ? "**" v "**" : v
			}
			printf "\n"
		}
	}' "${files[@]}"
