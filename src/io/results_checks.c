/* Shape and range checks of values read from results files and checkpoints (see
 * results_checks.h). */
#include "results_checks.h"

#include <math.h>
#include <stdlib.h>

void rg_results_h5_expect_dims(rg_h5 *h, const char *name, int rank, const hsize_t got[],
                               const hsize_t want[])
{
    for (int i = 0; i < rank; i++)
        if (got[i] != want[i]) {
            rg_h5_fail(h, RG_EFORMAT,
                       "dataset '%s' has %llu entries along dimension %d, expected %llu", name,
                       (unsigned long long)got[i], i, (unsigned long long)want[i]);
            return;
        }
}

/* Reads a dataset whose every dimension is known. */
void rg_results_h5_get_fixed(rg_h5 *h, hid_t loc, const char *name, hid_t memtype, size_t esize,
                             int rank, const hsize_t want[], void **out)
{
    hsize_t dims[4];
    free(*out);
    *out = NULL;
    rg_h5_read_dset(h, loc, name, memtype, esize, rank, dims, out);
    if (h->status == RG_OK)
        rg_results_h5_expect_dims(h, name, rank, dims, want);
}

/* Sizes read from a file are used to allocate and index: each must lie in the range a run
 * can produce (the loader's population limit, problem.h's model limits). */
void rg_results_h5_check_sizes(rg_h5 *h, int32_t ranks, uint64_t pop, uint64_t len)
{
    if (h->status != RG_OK)
        return;
    if (ranks < 1 || ranks > RG_RESULTS_MAX_RANKS)
        rg_h5_fail(h, RG_EFORMAT, "attribute 'n_ranks' is %d, outside 1 to %d", (int)ranks,
                   RG_RESULTS_MAX_RANKS);
    else if (pop > RG_RESULTS_MAX_POPULATION)
        rg_h5_fail(h, RG_EFORMAT, "attribute 'population' is %llu, more than %d",
                   (unsigned long long)pop, RG_RESULTS_MAX_POPULATION);
    else if (len > RG_RESULTS_MAX_GENES)
        rg_h5_fail(h, RG_EFORMAT, "attribute 'genome_length' is %llu, more than %d",
                   (unsigned long long)len, RG_RESULTS_MAX_GENES);
}

/* Fails unless every one of the n values of dataset `name` is finite. */
void rg_results_h5_expect_finite(rg_h5 *h, const char *name, const double *v, size_t n)
{
    for (size_t i = 0; h->status == RG_OK && v && i < n; i++)
        if (!isfinite(v[i]))
            rg_h5_fail(h, RG_EFORMAT, "dataset '%s' holds a non-finite value (%g at %zu)", name,
                       v[i], i);
}
