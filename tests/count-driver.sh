#!/bin/sh
# count-driver.sh -- automake's test-driver, then one :test-result: line
# in the .trs file for each test inside the program: the Check suites'
# "Checks: N, Failures: F, Errors: E" and unittest's "Ran N tests" with
# its verdict. So `make check` counts individual tests, and
# scripts/test.sh reads its counts from the .trs files alone. A program
# that passed its tests but failed anyway (a crash at exit, a leak report)
# counts one more failure; one that reports no count stays one result.
#
#     LOG_DRIVER = $(SHELL) tests/count-driver.sh $(SHELL) build-aux/test-driver
#
# The first words up to and including the stock driver are its command;
# the rest are automake's driver options, passed on unchanged.

driver=
while [ $# -gt 0 ]; do
    driver="$driver $1"
    case $1 in
    */test-driver) shift; break ;;
    esac
    shift
done
log= trs=
prev=
for arg in "$@"; do
    case $prev in
    --log-file) log=$arg ;;
    --trs-file) trs=$arg ;;
    esac
    prev=$arg
done

# shellcheck disable=SC2086
$driver "$@"
status=$?
[ -n "$log" ] && [ -n "$trs" ] && [ -f "$log" ] && [ -f "$trs" ] || exit $status

result=$(sed -n 's/^:test-result: //p' "$trs" | head -n 1)
counts=$(awk '
    /^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
        gsub(",", ""); n += $3; f += $5 + $7; found = 1 }
    /^Ran [0-9]+ tests? in / { ran = $2; unit = 1 }
    unit && /^(OK|FAILED)( \(.*\))?$/ {
        uf = 0; us = 0
        if (match($0, /failures=[0-9]+/)) uf += substr($0, RSTART + 9, RLENGTH - 9)
        if (match($0, /errors=[0-9]+/)) uf += substr($0, RSTART + 7, RLENGTH - 7)
        if (match($0, /skipped=[0-9]+/)) us = substr($0, RSTART + 8, RLENGTH - 8)
        un = ran; unf = uf; uns = us }
    END {
        if (found) print n - f, f, 0
        else if (unit) print un - unf - uns, unf, uns
    }' "$log")
[ -n "$counts" ] || exit $status

set -- $counts
{
    grep -v '^:test-result: ' "$trs"
    i=0; while [ $i -lt "$1" ]; do echo ":test-result: PASS"; i=$((i + 1)); done
    i=0; while [ $i -lt "$2" ]; do echo ":test-result: FAIL"; i=$((i + 1)); done
    i=0; while [ $i -lt "$3" ]; do echo ":test-result: SKIP"; i=$((i + 1)); done
    if [ "$2" -eq 0 ] && [ "$result" != PASS ] && [ "$result" != SKIP ]; then
        echo ":test-result: $result"
    fi
} > "$trs.tmp" && mv "$trs.tmp" "$trs"
exit $status
