/* regimen: the farm's message passing in a build without MPI (RG_MPI=OFF). Every
 * communicator has one rank, so farm.c evaluates every batch in process: the functions
 * below that need a second rank answer as farm.h says they do with one. */
#include "../farm_internal.h"

int rg_farm_net_open(rg_farm *f, const rg_comm *comm, rg_diag *diag)
{
    if (rg_parallel_size(comm) != 1) {
        rg_diag_add(diag, "farm: more than one rank in a build without MPI");
        return RG_EINTERNAL;
    }
    f->rank = 0;
    f->size = 1;
    return RG_OK;
}

int rg_farm_net_start(rg_farm *f, const char *text, const char *name, rg_diag *diag)
{
    (void)f;
    (void)text;
    (void)name;
    rg_diag_add(diag, "farm: more than one rank in a build without MPI");
    return RG_EINTERNAL; /* farm.c calls it only with several ranks */
}

int rg_farm_net_batch(rg_farm *f, size_t n, size_t length, const double genomes[],
                      rg_eval_result out[])
{
    (void)f;
    (void)n;
    (void)length;
    (void)genomes;
    (void)out;
    return RG_EINTERNAL; /* farm.c calls it only with several ranks */
}

void rg_farm_net_release(rg_farm *f)
{
    (void)f; /* one rank: no workers */
}

void rg_farm_net_close(rg_farm *f)
{
    (void)f; /* one rank: f->net is never set */
}

int rg_farm_serve(rg_farm *farm)
{
    (void)farm;
    return RG_EINVAL; /* the one rank is the master */
}

int rg_farm_pingpong(rg_farm *farm, size_t bytes, int reps, double *seconds)
{
    (void)farm;
    (void)bytes;
    (void)reps;
    (void)seconds;
    return RG_EINVAL; /* fewer than 2 ranks */
}
