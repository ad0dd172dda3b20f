/* Internal: the schedule genome's layout attribute and gene-to-day map in results files and
 * checkpoints (results_genes.c; docs/results-format.md). */
#ifndef REGIMEN_IO_RESULTS_GENES_H
#define REGIMEN_IO_RESULTS_GENES_H

#include "h5util.h"

/* Root attribute genome_layout (schedule encoding only). */
void rg_results_h5_put_layout(rg_h5 *h, hid_t file, const rg_results *r);
/* Reads genome_layout; a schedule file without it, or of another layout, is refused
 * (RG_EFORMAT naming the file and why). Call after the encoding is known. */
void rg_results_h5_get_layout(rg_h5 *h, hid_t file, rg_results *r);
/* /front/gene_drug, /front/gene_day and the attribute /front/dose_levels (when r has them). */
void rg_results_h5_put_genes(rg_h5 *h, hid_t front, const rg_results *r);
void rg_results_h5_get_genes(rg_h5 *h, hid_t front, rg_results *r);

#endif
