/* regimen: the parallel layer's process start-up and communicators.
 *
 * Every MPI call of regimen is in src/parallel (docs/style.md rule 11, after CoMD's
 * src-mpi/parallel.c): this header and farm.h are its whole interface, and neither shows an
 * MPI type. A communicator reaches the farm as an opaque rg_comm that only this layer
 * builds; NULL stands for "in process, no MPI at all" wherever an rg_comm is taken.
 *
 * Built with RG_MPI=OFF (no MPI library), the same API is serial: a job has one rank, the
 * farm evaluates in process, and results are the same bit for bit (the farm's answer does
 * not depend on the number of ranks). Such a build refuses to start under an MPI launcher,
 * where every process would run the whole job alone.
 *
 *     if (rg_parallel_launched()) {
 *         if (rg_parallel_init(&argc, &argv) != RG_OK) return 1;
 *         rg_comm *world; rg_parallel_world(&world);
 *         ... rg_farm_alloc(world, ...) on every rank ...
 *         rg_parallel_comm_free(world);
 *         rg_parallel_finalize();
 *     } */
#ifndef REGIMEN_PARALLEL_H
#define REGIMEN_PARALLEL_H

#include <stddef.h>

typedef struct rg_comm rg_comm;

/* 1 when an MPI launcher started this process (mpirun/mpiexec of Open MPI or MPICH, srun
 * --mpi=pmix or pmi2), else 0. Reads the launcher's environment only: a plain run needs no
 * MPI start-up at all (no singleton MPI_Init). */
int rg_parallel_launched(void);

/* Starts MPI (one thread calls it: MPI_THREAD_SINGLE); argc/argv as main got them. Once per
 * process, before any other call that takes an rg_comm other than NULL.
 * Returns RG_OK, or RG_EMPI when MPI cannot start (and, built without MPI, when an MPI
 * launcher started the process). */
int rg_parallel_init(int *argc, char ***argv);

/* Ends MPI after a successful rg_parallel_init (every rank calls it). */
void rg_parallel_finalize(void);

/* Ends every process of comm's job now with exit status `code` (MPI_Abort; NULL or built
 * without MPI: this process only). For main only, when a rank cannot go on while others
 * may be waiting for it (docs/style.md rule 6). Does not return. */
void rg_parallel_abort(const rg_comm *comm, int code);

/* The communicator of every rank of the job, after rg_parallel_init (built without MPI:
 * one rank). Caller frees with rg_parallel_comm_free. Returns RG_OK or RG_ENOMEM. */
int rg_parallel_world(rg_comm **out);
/* Frees the handle (not the job's ranks). NULL is a no-op. */
void rg_parallel_comm_free(rg_comm *comm);

/* This rank's number in comm and the number of ranks; NULL is rank 0 of 1. */
int rg_parallel_rank(const rg_comm *comm);
int rg_parallel_size(const rg_comm *comm);

/* Writes the MPI standard version the library implements ("MPI 3.1"), or "no MPI" when
 * built without it, into buf (cap bytes, truncated). Returns buf. */
const char *rg_parallel_version(char *buf, size_t cap);

#endif
