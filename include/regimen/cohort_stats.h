/* regimen: statistics over the patients of a virtual cohort (docs/model.md section 13).
 *
 * A schedule evaluated on n patients gives n records; these functions turn them into one:
 * each objective's statistic (quantile, mean / restricted mean survival time, CVaR, fraction
 * progression-free), the cohort's constraint violation, and the Kaplan-Meier curve of the
 * times to progression. All are deterministic functions of the values in patient order;
 * none allocates: callers pass scratch of n doubles (or n indices). */
#ifndef REGIMEN_COHORT_STATS_H
#define REGIMEN_COHORT_STATS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "regimen/eval_result.h"
#include "regimen/problem.h"
#include "regimen/sim.h"

/* One objective's statistic over n patients: x[i] its value for patient i (natural units),
 * censored[i] true when that value is a censored TTP (may be NULL: none), progressed and
 * ttp (for RG_AGG_PFS; may be NULL otherwise). maximised: the objective's sense (CVaR takes
 * the lowest values of a maximised objective, the highest of a minimised one). *is_censored
 * (may be NULL) is set when the statistic is a censored value: a quantile that falls on a
 * censored patient. scratch: n doubles. Returns the statistic; NAN when n = 0. */
double rg_cohort_statistic(const rg_aggregate *a, bool maximised, size_t n, const double x[],
                           const bool censored[], const double ttp[], const bool progressed[],
                           double scratch[], bool *is_censored);

/* The cohort's violation: with k = ceil(fraction n) (at least 1), the sum of the k smallest
 * per-patient violations v[i] (0 when k patients are feasible). scratch: n doubles. */
double rg_cohort_violation(size_t n, const double v[], double fraction, double scratch[]);

/* One record from the per-patient records per[0..n) of problem p (p->cohort set; the
 * summaries sums[i] give TTP and progression): every objective's statistic by
 * p->cohort->aggregate, the violation by rg_cohort_violation; a failed patient (budget,
 * non-finite, failed, bad genome) makes the whole record failed with that patient's flag
 * and reason. scratch: 3 n doubles. */
void rg_cohort_combine(const rg_problem *p, size_t n, const rg_eval_result per[],
                       const rg_sim_summary sums[], double scratch[], rg_eval_result *out);

/* Built-in regimen r of cohort problem p (p->cohort set) run on every patient, in order, on
 * workspace w (rg_cohort_eval_patients), each summary into sums[0..n_patients) and, when per
 * is not NULL, each patient's record into per[]. Returns RG_OK or the status of a regimen
 * that cannot be simulated. */
int rg_cohort_run_regimen(const rg_problem *p, size_t r, rg_sim_workspace *w,
                          rg_sim_summary sums[], rg_eval_result per[]);

/* A dosing whose state is a policy (rg_policy_dosing, bound to each patient by
 * rg_policy_bind) run on every patient of cohort problem p, in order, on workspace w: each
 * summary into sums[] and each patient's record (rg_objectives_compute on that patient) into
 * per[] (n_patients each; per may be NULL: summaries only). cancel may be NULL. Returns RG_OK
 * or the first failing patient's status (later patients are then not run). */
int rg_cohort_eval_patients(const rg_problem *p, rg_dosing *dose, rg_sim_workspace *w,
                            const volatile sig_atomic_t *cancel, rg_sim_summary sums[],
                            rg_eval_result per[]);

/* As rg_cohort_eval_patients for patients first .. first + count - 1 only (a block of the
 * cohort, as the farm hands them out): sums[i] and per[i] are patient first + i's. Each
 * patient's run depends on that patient alone, so blocks give what the whole cohort gives.
 * Returns RG_OK or the first failing patient's status (the block's later patients are then
 * not run). */
int rg_cohort_eval_block(const rg_problem *p, size_t first, size_t count, rg_dosing *dose,
                         rg_sim_workspace *w, const volatile sig_atomic_t *cancel,
                         rg_sim_summary sums[], rg_eval_result per[]);

/* Built-in regimen r of cohort problem p (p->cohort set) on every patient, in order, on
 * workspace w (rg_cohort_run_regimen), combined by rg_cohort_combine into *out: the record the
 * optimiser's evaluator gives a schedule, for the regimen. sums, per: n_patients each;
 * scratch: 3 n_patients doubles. Returns RG_OK, or the status of a regimen that cannot be
 * simulated (*out then failed). */
int rg_cohort_eval_regimen(const rg_problem *p, size_t r, rg_sim_workspace *w,
                           rg_sim_summary sums[], rg_eval_result per[], double scratch[],
                           rg_eval_result *out);

/* Kaplan-Meier estimate of the progression-free curve from n patients' TTPs (progressed[i]
 * false: censored at ttp[i]). Writes one row per distinct time at which a patient
 * progresses or is censored, in increasing time, preceded by the row t = 0 (survival 1,
 * at_risk n, events 0): t[r], survival[r] = S(t[r]) (the curve just after t[r]),
 * at_risk[r] (patients with TTP >= t[r]) and events[r] (progressions at t[r]). Arrays hold
 * n + 1 rows; returns the number written. order: n indices of scratch. */
size_t rg_km_curve(size_t n, const double ttp[], const bool progressed[], size_t order[],
                   double t[], double survival[], size_t at_risk[], size_t events[]);

#endif
