/* The command line of `regimen optimize` (src/cli/optimize_args.c). */
#ifndef REGIMEN_CLI_OPTIMIZE_ARGS_H
#define REGIMEN_CLI_OPTIMIZE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "regimen/recorder.h"

/* What the command line says; has_* tells which problem settings it overrides. */
typedef struct {
    const char *problem, *front;
    bool quiet;
    bool has_seed, has_generations, has_population, has_chunk, has_history_every;
    unsigned long seed;
    size_t generations, population, chunk, history_every;
    size_t log_every; /* --log-every N: a progress line every N generations; 0: about once
                         a second of wall time (always generation 0 and the last) */
    rg_recorder_options rec; /* --out, --force, --checkpoint[-every], --resume, quiet */
} rg_optimize_args;

/* Parses argv (argv[0] is "optimize") into *o. `report`: print what is wrong on stderr
 * (rank 0 only, so that mpirun shows a message once). Returns 0, or 2 (bad option). */
int rg_optimize_args_parse(int argc, char **argv, bool report, rg_optimize_args *o);

/* Prints the command's usage lines. */
void rg_optimize_args_usage(FILE *f);

#endif
