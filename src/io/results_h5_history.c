/* Group /history of a results file or checkpoint (docs/results-format.md, `/history`): one
 * row per recorded generation. Read back by rg_results_h5_get (results_h5.c). The per-row
 * populations are copied one row at a time, from memory or the spool (results_spool.c), so
 * writing needs one row of memory however long the history. */
#include <stdlib.h>

#include <hdf5.h>

#include "h5util.h"

#define F64 H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE
#define U64 H5T_NATIVE_UINT64, H5T_STD_U64LE

void rg_results_h5_put_history(rg_h5 *h, hid_t f, const rg_results *r)
{
    size_t M = r->n_obj, N = r->population, L = r->genome_length, G = r->n_history;
    hid_t g = rg_h5_group(h, f, "history");
    hsize_t d1[1] = {G}, d2[2] = {G, N}, d3g[3] = {G, N, L}, d3o[3] = {G, N, M};
    rg_h5_dset(h, g, "generation", U64, 1, d1, r->history_generation, 1);
    rg_h5_describe(h, g, "generation", "1", "generation number of each row (0 = initial)");
    rg_h5_dset(h, g, "evaluations", U64, 1, d1, r->history_evaluations, 1);
    rg_h5_describe(h, g, "evaluations", "1", "model evaluations so far");
    rg_h5_dset(h, g, "hypervolume", F64, 1, d1, r->hypervolume, 1);
    rg_h5_describe(h, g, "hypervolume", "product of the objectives' units",
                   "hypervolume of the population's feasible first front");
    if (r->archive_hypervolume || G == 0) { /* NULL in a record built without an archive */
        rg_h5_dset(h, g, "archive_hypervolume", F64, 1, d1, r->archive_hypervolume, 1);
        rg_h5_describe(h, g, "archive_hypervolume", "product of the objectives' units",
                       "hypervolume of the archive (the run's front); never decreases");
    }
    hid_t dg = rg_h5_dset_rows(h, g, "genomes", H5T_IEEE_F64LE, 3, d3g);
    hid_t dobj = rg_h5_dset_rows(h, g, "objectives", H5T_IEEE_F64LE, 3, d3o);
    hid_t dv = rg_h5_dset_rows(h, g, "violation", H5T_IEEE_F64LE, 2, d2);
    double *row = h->status == RG_OK ? malloc((N * (L + M + 1) + 1) * sizeof *row) : NULL;
    if (h->status == RG_OK && !row)
        rg_h5_fail(h, RG_ENOMEM, "out of memory writing the history");
    for (size_t i = 0; i < G && h->status == RG_OK; i++) {
        double *gen = row, *obj = row + N * L, *viol = obj + N * M;
        if (rg_results_history_row(r, i, gen, obj, viol) != RG_OK) {
            rg_h5_fail(h, RG_EIO, "cannot read history row %zu from the spool", i);
            break;
        }
        rg_h5_dset_put_row(h, dg, "history/genomes", H5T_NATIVE_DOUBLE, i, gen);
        rg_h5_dset_put_row(h, dobj, "history/objectives", H5T_NATIVE_DOUBLE, i, obj);
        rg_h5_dset_put_row(h, dv, "history/violation", H5T_NATIVE_DOUBLE, i, viol);
    }
    free(row);
    const hid_t sets[3] = {dg, dobj, dv};
    for (int k = 0; k < 3; k++)
        if (sets[k] >= 0)
            H5Dclose(sets[k]);
    rg_h5_describe(h, g, "genomes", "encoding-specific",
                   "population genomes [generation][individual][gene]");
    rg_h5_describe(h, g, "objectives", "see objective_units",
                   "objective values in natural units [generation][individual][objective]");
    rg_h5_describe(h, g, "violation", "1",
                   "normalised constraint violation, 0 = feasible [generation][individual]");
    rg_h5_close_group(g);
}
