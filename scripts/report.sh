# report.sh -- the one PASS/FAIL counter of every check script, sourced by
# each: the PASS, FAIL and SKIP lines, and the closing "N passed, N failed"
# line (", N skipped" follows when something was) that scripts/test.sh and
# CI read. A script sets `work` (its work directory) if it has one.

passed=0 failed=0 skipped=0
started=$SECONDS

# report PASS|FAIL|SKIP TEXT
report() {
    echo "$1 $2"
    case $1 in
    PASS) passed=$((passed + 1)) ;;
    FAIL) failed=$((failed + 1)) ;;
    SKIP) skipped=$((skipped + 1)) ;;
    esac
}

# tally PASSED FAILED: adds the counts of a step that counted its own tests.
tally() {
    passed=$((passed + $1))
    failed=$((failed + $2))
}

# result_line FILE: the last "N passed, N failed[, N skipped]" line of FILE,
# as "N N N" (passed, failed, skipped), or nothing.
result_line() {
    sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\(, \([0-9][0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p' \
        "$1" 2>/dev/null | tail -n 1 | awk '{ print $1, $2, ($3 == "" ? 0 : $3) }'
}

# finish: the closing line, and the exit status (0 if nothing failed).
finish() {
    echo "(total $((SECONDS - started))s${work:+; work directory $work})"
    if [ "$skipped" -gt 0 ]; then
        echo "$passed passed, $failed failed, $skipped skipped"
    else
        echo "$passed passed, $failed failed"
    fi
    [ "$failed" -eq 0 ]
    exit
}

# run NAME COMMAND...: COMMAND's output in $work/NAME.log, its tail on
# failure; reports NAME with the time it took.
run() {
    local name=$1 start=$SECONDS
    shift
    if "$@" >"$work/$name.log" 2>&1; then
        report PASS "$name ($((SECONDS - start))s)"
    else
        tail -n 30 "$work/$name.log"
        report FAIL "$name ($((SECONDS - start))s; log: $work/$name.log)"
        return 1
    fi
}
