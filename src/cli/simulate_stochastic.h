/* regimen simulate --stochastic: the replicates and their report (simulate_stochastic.c). */
#ifndef RG_CLI_SIMULATE_STOCHASTIC_H
#define RG_CLI_SIMULATE_STOCHASTIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "regimen/problem.h"
#include "regimen/sim.h"
#include "regimen/status.h"

typedef struct {
    size_t n;        /* replicates, >= 1 */
    uint64_t seed;   /* replicate r draws from a generator seeded from (seed, r) */
    const char *csv; /* NULL: none; "-": stdout, instead of the report */
    bool force;
} rg_stoch_options;

/* Runs o->n replicates of p under `dosing` and prints the report beside the deterministic
 * summary det (or writes the per-replicate CSV). Returns the exit code: 0, 1 (a failure
 * while running or writing), 2 (a problem in normalised units, a refused output file). */
int rg_simulate_stochastic(const rg_problem *p, const char *file, const rg_dosing *dosing,
                           const rg_stoch_options *o, const rg_sim_summary *det, rg_diag *diag);

#endif
