# report.sh -- what the check scripts share, sourced by each: the PASS and
# FAIL lines, and the closing "N passed, N failed" line that scripts/test.sh
# counts. A script sets `work` (its work directory) if it has one.

passed=0 failed=0
started=$SECONDS

# report PASS|FAIL TEXT
report() {
    echo "$1 $2"
    case $1 in
    PASS) passed=$((passed + 1)) ;;
    FAIL) failed=$((failed + 1)) ;;
    esac
}

# finish: the closing line, and the exit status (0 if nothing failed).
finish() {
    echo "(total $((SECONDS - started))s${work:+; work directory $work})"
    echo "$passed passed, $failed failed"
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
