/* regimen simulate --stochastic: the replicates and their report (simulate_stochastic.c). */
#ifndef RG_CLI_SIMULATE_STOCHASTIC_H
#define RG_CLI_SIMULATE_STOCHASTIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "regimen/problem.h"
#include "regimen/sim.h"
#include "regimen/status.h"

typedef struct {
    size_t n;             /* replicates, >= 1 */
    uint64_t seed;        /* replicate r draws from a generator seeded from (seed, r) */
    FILE *csv;            /* NULL: no CSV; else the open per-replicate CSV (safefile.h) */
    const char *csv_name; /* its name, for the report's last line */
    bool report;          /* print the report (false when the CSV goes to stdout) */
} rg_stoch_options;

/* 0 when the stochastic mode can run p, else 2 after a message on stderr naming the file and
 * the key: a problem in normalised units (extinction_cells = 0), or a drug half-life so short
 * that a replicate would take more than RG_STOCH_MAX_STEPS steps. */
int rg_simulate_stochastic_check(const rg_problem *p, const char *file);

/* Runs o->n replicates of p under `dosing`, writes one CSV row per replicate to o->csv and
 * prints the report beside the deterministic summary det. Returns the exit code: 0, 1 (out of
 * memory, a replicate that failed to run) or 2 (a problem rg_simulate_stochastic_check
 * refuses). */
int rg_simulate_stochastic(const rg_problem *p, const char *file, const rg_dosing *dosing,
                           const rg_stoch_options *o, const rg_sim_summary *det);

#endif
