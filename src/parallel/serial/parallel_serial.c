/* regimen: parallel.h without MPI (built with RG_MPI=OFF): every job has one rank. */
#include <stdio.h>
#include <stdlib.h>

#include "regimen/parallel.h"
#include "regimen/status.h"

/* parallel.h's opaque communicator: always the one rank of this process. */
struct rg_comm {
    int size;
};

int rg_parallel_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* Under a launcher every process would run the whole job alone, writing the same
     * files: refuse instead. */
    return rg_parallel_launched() ? RG_EMPI : RG_OK;
}

void rg_parallel_finalize(void)
{
}

void rg_parallel_abort(const rg_comm *comm, int code)
{
    (void)comm;
    fflush(stdout);
    fflush(stderr);
    exit(code); /* one rank: no other process waits */
}

int rg_parallel_world(rg_comm **out)
{
    *out = malloc(sizeof **out);
    if (!*out)
        return RG_ENOMEM;
    (*out)->size = 1;
    return RG_OK;
}

void rg_parallel_comm_free(rg_comm *comm)
{
    free(comm);
}

int rg_parallel_rank(const rg_comm *comm)
{
    (void)comm;
    return 0;
}

int rg_parallel_size(const rg_comm *comm)
{
    return comm ? comm->size : 1;
}

const char *rg_parallel_version(char *buf, size_t cap)
{
    snprintf(buf, cap, "no MPI");
    return buf;
}
