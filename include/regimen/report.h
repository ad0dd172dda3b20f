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

/* One progress line: generation, evaluations, evaluations per second (evals / seconds of
 * this generation), hypervolume, feasible fraction, best value of each objective among
 * feasible members (natural units). */
void rg_report_progress(FILE *f, const rg_problem *p, const rg_nsga2 *g, double evals_per_s);

/* The first front as CSV: objectives in natural units (named as in the problem), violation,
 * flags, then the encoding's columns (schedule: one "dose_<drug>_d<day>" per gene, the dose
 * delivered there by the member's re-simulation for a tumour problem (0 when none was
 * given), the gene's level otherwise; rule parameters and drug order; benchmark x1..xn). Identical genomes are written once; rows are sorted by the
 * objectives' fitness. Writes to the caller's stream only (files are created by the io
 * layer, which writes them atomically). RG_ENOMEM; RG_EIO when f reports a write error. */
int rg_report_front_csv(FILE *f, const rg_problem *p, const rg_encoding *enc,
                        const rg_nsga2 *g);

#endif
