/* Internal to src/cli: the printers of `regimen check` (cmd_check.c) and what they share. */
#ifndef REGIMEN_CLI_CHECK_PRINT_H
#define REGIMEN_CLI_CHECK_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "regimen/problem.h"

/* The resolved problem p (defaults filled in, fold table, grid, regimens, optimisation
 * settings) on f, as text (check_print_text.c) or as one JSON object (check_print_json.c). */
void rg_check_print_text(FILE *f, const rg_problem *p);
void rg_check_print_json(FILE *f, const rg_problem *p);

/* One warning line on f per adaptive regimen of p that cannot resume before progression
 * (rg_adaptive_can_resume, regimens.h); file names the problem file (check_warn.c). */
void rg_check_warn_adaptive(FILE *f, const char *file, const rg_problem *p);

/* Fold factors of clone i on drug d at zero hypoxia and no inhibitor: exposure divisor,
 * EC50 factor, Emax divisor. */
void rg_check_fold_factors(const rg_problem *p, size_t i, size_t d, double *expo, double *ec50,
                           double *emax);
/* Number of bolus times of drug d before the horizon (0 for a continuous drug). */
size_t rg_check_n_boluses(const rg_problem *p, const rg_drug *d);

/* Warns on f, one line per regimen and drug, about the phantom doses of fixed regimens
 * (rg_policy_phantom_doses); returns the number of lines. */
size_t rg_check_warn_phantoms(FILE *f, const char *file, const rg_problem *p);

/* Names of enum values as written in problem files. */
const char *rg_check_growth_name(rg_growth g);
const char *rg_check_admin_name(rg_admin a);
const char *rg_check_effect_name(rg_effect e);
const char *rg_check_combine_name(rg_combine c);
const char *rg_check_encoding_name(rg_encoding_kind e);
const char *rg_check_bench_name(rg_benchmark b);

#endif
