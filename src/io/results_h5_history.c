/* Group /history of a results file or checkpoint (docs/results-format.md, `/history`): one
 * row per recorded generation. Read back by rg_results_h5_get (results_h5.c). */
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
    rg_h5_dset(h, g, "genomes", F64, 3, d3g, r->history_genomes, 1);
    rg_h5_describe(h, g, "genomes", "encoding-specific",
                   "population genomes [generation][individual][gene]");
    rg_h5_dset(h, g, "objectives", F64, 3, d3o, r->history_objectives, 1);
    rg_h5_describe(h, g, "objectives", "see objective_units",
                   "objective values in natural units [generation][individual][objective]");
    rg_h5_dset(h, g, "violation", F64, 2, d2, r->history_violation, 1);
    rg_h5_describe(h, g, "violation", "1",
                   "normalised constraint violation, 0 = feasible [generation][individual]");
    rg_h5_close_group(g);
}
