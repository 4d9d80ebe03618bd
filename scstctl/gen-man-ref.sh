#!/bin/sh
# Regenerate the schema reference part of scst.conf.5 (between the
# BEGIN/END SCHEMA REFERENCE markers) with `scstctl schema-doc`.
# usage: gen-man-ref.sh SCSTCTL MANPAGE
set -e
S=${1:?usage: gen-man-ref.sh SCSTCTL MANPAGE}
M=${2:?usage: gen-man-ref.sh SCSTCTL MANPAGE}
ref=$(mktemp)
out=$(mktemp)
trap 'rm -f "$ref" "$out"' EXIT
"$S" schema-doc >"$ref"
awk -v ref="$ref" '
	/^\.\\" BEGIN SCHEMA REFERENCE/ { print; while ((getline l < ref) > 0) print l; skip = 1; next }
	/^\.\\" END SCHEMA REFERENCE/ { skip = 0 }
	!skip { print }
' "$M" >"$out"
grep -q 'END SCHEMA REFERENCE' "$out" || { echo "$M: markers missing" >&2; exit 1; }
cat "$out" >"$M"
