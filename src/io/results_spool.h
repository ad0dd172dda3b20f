/* Internal: the history spool of rg_results (results_spool.c; not installed). */
#ifndef REGIMEN_IO_RESULTS_SPOOL_H
#define REGIMEN_IO_RESULTS_SPOOL_H

#include "regimen/results.h"

/* Writes history row g of r (genomes, objectives, violations; r's population, genome length
 * and objectives) to the spool. RG_EIO when the file system refuses. */
int rg_results_spool_put(const rg_results *r, size_t g, const double genomes[],
                         const double objectives[], const double violation[]);
/* Closes the spool (its file has no name: closing it frees its space). */
void rg_results_spool_free(struct rg_history_spool *s);

#endif
