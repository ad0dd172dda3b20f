/* regimen: exact hypervolume of a point set (minimisation).
 *
 * The hypervolume of points p_1..p_n with reference point r is the Lebesgue measure of the
 * union of the boxes [p_i, r]. Points that are not strictly better than r in every
 * objective contribute nothing and are ignored. Algorithms:
 *   2 objectives  sort by f1 and sweep: O(n log n).
 *   3 objectives  dimension sweep over f3 with the (f1, f2) staircase kept in a sorted
 *                 structure with O(log n) predecessor/successor (hierarchical bitset over
 *                 f1 ranks): O(n log n) (Fonseca, Paquete, Lopez-Ibanez 2006; Beume,
 *                 Fonseca, Lopez-Ibanez, Paquete, Vahrenhold 2009).
 *   4 and more    WFG (While, Bradstreet, Barone 2012, "A fast way of calculating exact
 *                 hypervolumes", IEEE TEC 16(1)), slicing on the last objective, with the
 *                 3-objective sweep as its base case.
 * Workspace is sized once for at most `capacity` points of `n_obj` objectives. */
#ifndef REGIMEN_HYPERVOLUME_H
#define REGIMEN_HYPERVOLUME_H

#include <stddef.h>

/* Largest number of objectives handled. */
enum { RG_MAX_HV_DIMS = 8 };

typedef struct rg_hv_workspace rg_hv_workspace;

/* NULL when out of memory or n_obj is 0. Caller frees with rg_hv_free. */
rg_hv_workspace *rg_hv_alloc(size_t capacity, size_t n_obj);
void rg_hv_free(rg_hv_workspace *w);

/* Hypervolume of points[i * n_obj + j], i < n <= capacity, against ref[0 .. n_obj - 1].
 * Returns RG_OK and *out, or RG_EINVAL when n exceeds the capacity, or RG_ENOMEM. */
int rg_hv_compute(rg_hv_workspace *w, const double points[], size_t n, const double ref[],
                  double *out);

/* One-shot convenience: allocates a workspace, computes, frees. */
int rg_hypervolume(const double points[], size_t n, size_t n_obj, const double ref[],
                   double *out);

#endif
