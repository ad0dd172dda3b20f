/* regimen: MPI start-up, shutdown and communicators (parallel.h), with MPI. The one place
 * that names MPI_COMM_WORLD: everything else takes the rg_comm built here. */
#include <stdio.h>
#include <stdlib.h>

#include "farm_mpi.h"
#include "regimen/parallel.h"

int rg_parallel_init(int *argc, char ***argv)
{
    int provided = 0;
    return MPI_Init_thread(argc, argv, MPI_THREAD_SINGLE, &provided) == MPI_SUCCESS ? RG_OK
                                                                                    : RG_EMPI;
}

void rg_parallel_finalize(void)
{
    MPI_Finalize();
}

void rg_parallel_abort(const rg_comm *comm, int code)
{
    fflush(stdout);
    fflush(stderr);
    int up = 0;
    MPI_Initialized(&up);
    if (up)
        MPI_Abort(comm ? comm->comm : MPI_COMM_WORLD, code);
    exit(code); /* no MPI job to end (or MPI_Abort returned) */
}

int rg_parallel_world(rg_comm **out)
{
    *out = malloc(sizeof **out);
    if (!*out)
        return RG_ENOMEM;
    (*out)->comm = MPI_COMM_WORLD;
    return RG_OK;
}

void rg_parallel_comm_free(rg_comm *comm)
{
    free(comm); /* the handle only: MPI_COMM_WORLD is never freed */
}

int rg_parallel_rank(const rg_comm *comm)
{
    int rank = 0;
    if (comm)
        MPI_Comm_rank(comm->comm, &rank);
    return rank;
}

int rg_parallel_size(const rg_comm *comm)
{
    int size = 1;
    if (comm)
        MPI_Comm_size(comm->comm, &size);
    return size;
}

const char *rg_parallel_version(char *buf, size_t cap)
{
    snprintf(buf, cap, "MPI %d.%d", MPI_VERSION, MPI_SUBVERSION);
    return buf;
}
