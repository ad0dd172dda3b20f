/* Internal: shape and range checks of what a results file or checkpoint holds, shared by
 * results_h5.c and checkpoint.c (docs/results-format.md, "Integrity checks"). Each records
 * the first failure in h (RG_EFORMAT, a message naming the object) and does nothing once h
 * has failed. */
#ifndef REGIMEN_IO_RESULTS_CHECKS_H
#define REGIMEN_IO_RESULTS_CHECKS_H

#include <stdint.h>

#include "h5util.h"

/* Fails unless got[] equals want[] in each of rank dimensions. */
void rg_results_h5_expect_dims(rg_h5 *h, const char *name, int rank, const hsize_t got[],
                               const hsize_t want[]);
/* Reads a dataset whose every dimension is known (frees *out first). */
void rg_results_h5_get_fixed(rg_h5 *h, hid_t loc, const char *name, hid_t memtype, size_t esize,
                             int rank, const hsize_t want[], void **out);
/* n_ranks, population and genome_length within what a run can produce (results.h). */
void rg_results_h5_check_sizes(rg_h5 *h, int32_t ranks, uint64_t pop, uint64_t len);
/* Fails unless each of the n values of `name` is finite. */
void rg_results_h5_expect_finite(rg_h5 *h, const char *name, const double *v, size_t n);

#endif
