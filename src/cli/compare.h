/* regimen compare's shared parts (private to src/cli): the arguments, one regimen's row and
 * its CSV columns (cmd_compare.c), and the virtual trial of a cohort problem
 * (compare_cohort.c). */
#ifndef REGIMEN_CLI_COMPARE_H
#define REGIMEN_CLI_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "regimen/objectives.h"
#include "regimen/problem.h"
#include "regimen/sim.h"

typedef struct {
    const char *problem, *csv, *traj_dir;
    const char *patients, *km; /* cohort problems: per-patient rows, Kaplan-Meier curves */
    bool force;                /* replace existing output files */
} compare_args;

/* One run of one regimen (on one patient). */
typedef struct {
    rg_sim_summary s;
    rg_violation v;
    char broken[256];
} rg_compare_row;

/* The header of the compare CSV (docs/regimens.md), with a `patient` column after
 * `regimen` when with_patient is set. */
void rg_compare_csv_header(FILE *f, const rg_problem *p, bool with_patient);
/* The row of regimen r of p; patient NULL for the CSV without a patient column. */
void rg_compare_csv_row(FILE *f, const rg_problem *p, size_t r, const char *patient,
                        const rg_compare_row *row);

/* The virtual trial: every regimen on every patient of p's cohort, the table, --csv (the
 * cohort-summary schema), --patients and --km. Returns the exit status. */
int rg_compare_cohort(const rg_problem *p, const compare_args *a);

#endif
