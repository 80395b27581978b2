#!/bin/sh
# pythons.sh -- the CPythons of this machine that the all-versions
# benchmarks run: every pyenv CPython by version, then every
# /usr/bin/python3.N; one path a line.
#
#     bench/pythons.sh
set -u

if command -v pyenv > /dev/null 2>&1; then
    for py in $(printf "%s\n" "$(pyenv root)"/versions/*/bin/python3 | sort -V); do
        [ -x "$py" ] && echo "$py"
    done
fi
for py in $(printf "%s\n" /usr/bin/python3.[0-9] /usr/bin/python3.[0-9][0-9] | sort -V); do
    [ -x "$py" ] && echo "$py"
done
exit 0
