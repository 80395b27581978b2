/* bench.h -- what every unit of the benchmark program bench/pyz3_bench
 * shares: the clock, the ballast that steadies pymalloc's state, failing
 * loudly, and the entry point of each benchmark.
 *
 *   ops.c      each operation, libpyz3 inline and out of line against the
 *              raw C API (ops.h, ops_*.c);
 *   process.c  the seed's process_data() in five builds (process.h,
 *              process_builds.c), and how its cost grows with items and
 *              threads (threads.c).
 */
#ifndef PYZ3_BENCH_H
#define PYZ3_BENCH_H

#include <pyz3.h>

/* The entry points that main.c calls with the arguments after the
 * benchmark's name; each returns the program's exit status. */
int bench_ops_main(int argc, char **argv);
int bench_process_main(int argc, char **argv);

/* Abort with the Python error: something failed where it cannot. */
void bench_fail(const char *what) __attribute__((noreturn, cold));

/* CLOCK_MONOTONIC, in ns. */
double bench_now_ns(void);

/* Live blocks of every pymalloc size class (16 to 512 bytes), `per_class`
 * of each (at most BENCH_BALLAST_MAX), held from bench_ballast_hold() to
 * bench_ballast_drop() while a measurement runs. An operation that frees
 * the only live block of a pymalloc pool empties the pool, and one that
 * takes the last free block fills it: either way pymalloc moves the pool
 * between its lists at every iteration, a cost of the heap's state, not of
 * the operation, which a real program with many live objects rarely pays.
 * After `per_class` blocks of a class, the pool that serves it holds one
 * of them unless the last one filled a pool or left a single free block;
 * of 2 and 4 blocks, one leaves it holding a block and more than one free.
 * Instructions are counted with both, and the reports keep the lower
 * count; times alternate between them. */
#define BENCH_BALLAST_MAX 4
void bench_ballast_hold(int per_class);
void bench_ballast_drop(void);

#endif /* PYZ3_BENCH_H */
