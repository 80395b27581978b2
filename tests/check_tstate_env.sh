#!/bin/sh
# The kept-thread-state tests once more, with PYZ3_KEEP_THREAD_STATE=0 in
# the environment: keeping must be off from the first scope on.
PYZ3_KEEP_THREAD_STATE=0 exec ./tests/check_tstate
