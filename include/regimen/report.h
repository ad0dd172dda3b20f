/* regimen: what `regimen optimize` prints between generations and writes at the end.
 * Kept in the library so that the serial driver, the MPI farm and the results writer
 * report the same way. */
#ifndef REGIMEN_REPORT_H
#define REGIMEN_REPORT_H

#include <stdio.h>

#include "regimen/encoding.h"
#include "regimen/nsga2.h"
#include "regimen/problem.h"

/* Objective j of the optimiser in natural units from its minimised form. */
double rg_report_natural(const rg_problem *p, size_t j, double fitness);

/* "name=value" pairs of the reference point in natural units, one line, to f. */
void rg_report_reference(FILE *f, const rg_problem *p, const rg_nsga2 *g);

/* What the driver measured for a progress line. */
typedef struct {
    size_t generations; /* the run's target */
    double evals_per_s; /* evaluations per second since the previous line; NaN: "-" */
    double elapsed_s;   /* wall time since this process started the run */
    double eta_s;       /* estimated time to the last generation; < 0: unknown */
} rg_progress;

/* One progress line, for a person:
 *   gen 29/300  evals 3840  6100 evals/s  elapsed 0:12  eta 1:58  hv 11.29  front 127  best ttp 556
 * the archive's hypervolume and size (the run's front) and the best value of the first
 * objective in the archive (natural units; a censored TTP as ">728", a lower bound). Times
 * are m:ss, or h:mm:ss from an hour; an unknown eta prints "-". */
void rg_report_progress(FILE *f, const rg_problem *p, const rg_nsga2 *g, const rg_progress *pr);

/* Seconds as m:ss or h:mm:ss into buf ("-" when negative or not finite). */
void rg_report_duration(double s, char *buf, size_t cap);

/* The archive (the run's front) as CSV, in the layout of `regimen export --what front`
 * (docs/results-format.md): member (the row number), objectives in natural units (named as
 * in the problem; ttp followed by ttp_censored), violation, feasible
 * (rg_eval_result_feasible), flags, then the encoding's columns (schedule: one
 * "dose_<drug>_d<day>" per gene, the dose delivered there by the member's re-simulation
 * for a tumour problem (0 when none was given), the gene's level otherwise; rule parameters
 * and drug order; benchmark x1..xn). One row per archive member, in the archive's order
 * (fitness, then genome). Writes to the caller's stream only (files are created by the io
 * layer, which writes them atomically). RG_ENOMEM; RG_EIO when f reports a write error. */
int rg_report_front_csv(FILE *f, const rg_problem *p, const rg_encoding *enc,
                        const rg_nsga2 *g);

#endif
