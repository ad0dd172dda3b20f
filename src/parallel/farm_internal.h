/* The farm's state shared by its files (src/parallel only): farm.c holds what every build
 * has (construction, accessors, in-process evaluation); the message passing is in mpi/
 * (built with RG_MPI=ON) or serial/ (RG_MPI=OFF, where every farm has one rank). */
#ifndef REGIMEN_PARALLEL_FARM_INTERNAL_H
#define REGIMEN_PARALLEL_FARM_INTERNAL_H

#include <stddef.h>

#include "regimen/farm.h"

/* The message-passing state of a farm of several ranks (mpi/farm_mpi.h). */
typedef struct rg_farm_net rg_farm_net;

struct rg_farm {
    rg_farm_net *net; /* NULL in process (no communicator given) */
    int rank, size;
    size_t chunk;
    const rg_eval_ops *ops;
    void *ctx;
    /* the unit of work (farm.h, "Parts"): n_parts units per genome, each answered by a
     * record of part_bytes (1 and sizeof(rg_eval_result) when genomes are not split) */
    size_t n_parts, part_bytes;
    int stopped; /* workers released (master) or stop received (worker) */
    int broken;  /* an MPI call failed: the protocol state is unknown */
    rg_farm_stats stats;
    /* the watchdog (mpi/farm_master.c): the longest evaluation per genome reported so far and
     * the least time a worker holding work may stay silent (RG_FARM_STALL_FLOOR_S, or the
     * environment variable REGIMEN_WORKER_TIMEOUT in seconds) */
    double eval_max, stall_floor;
    char err[512];
};

/* Default least silence of a worker before the master gives up on it, seconds. */
#define RG_FARM_STALL_FLOOR_S 300.0
/* A worker is declared hung after RG_FARM_STALL_FACTOR times the work it holds, at the
 * longest evaluation time per genome measured so far (and never before the floor). */
#define RG_FARM_STALL_FACTOR 20.0

/* Monotonic wall-clock seconds. */
double rg_farm_now(void);

/* Evaluates `count` genomes through f->ops into res[]; every result is filled even when
 * ops->eval fails. Returns the first non-OK status of ops->eval. */
int rg_farm_eval_range(rg_farm *f, size_t count, size_t length, const double *genomes,
                       rg_eval_result *res);

/* Evaluates units start .. start + count - 1 of a batch (farm.h, "Parts"): genomes[] holds
 * the genomes they belong to, from genome start / f->n_parts on, and records[] receives one
 * record of f->part_bytes per unit (rg_eval_result when genomes are not split). Every record
 * is filled even when an evaluation fails. Returns the first non-OK status of the ops. */
int rg_farm_eval_units(rg_farm *f, size_t start, size_t count, size_t length,
                       const double *genomes, unsigned char *records);

/* Genomes spanned by units start .. start + count - 1 (0 when count is 0). */
size_t rg_farm_span(const rg_farm *f, size_t start, size_t count);

/* The result of one genome from its units' records (n_parts records, in order) by
 * ops->combine, with its padding zeroed. */
void rg_farm_combine(rg_farm *f, const unsigned char *records, rg_eval_result *out);

/* ---- message passing (mpi/farm_net.c; serial/farm_serial.c) ---- */

/* Joins f to comm (not NULL): sets f->rank, f->size and f->net. On failure fills diag and
 * returns RG_EINVAL, RG_ENOMEM or RG_EMPI. */
int rg_farm_net_open(rg_farm *f, const rg_comm *comm, rg_diag *diag);
/* With f->size > 1: the collective start-up of rg_farm_alloc (rank 0 broadcasts text and
 * name, every rank builds f->ctx, all agree). Returns rg_farm_alloc's status. */
int rg_farm_net_start(rg_farm *f, const char *text, const char *name, rg_diag *diag);
/* With f->size > 1, on the master: one batch over the workers (rg_farm_eval_batch). */
int rg_farm_net_batch(rg_farm *f, size_t n, size_t length, const double genomes[],
                      rg_eval_result out[]);
/* On the master of an intact farm of several ranks: releases the workers still serving. */
void rg_farm_net_release(rg_farm *f);
/* Frees f->net and the duplicated communicator. */
void rg_farm_net_close(rg_farm *f);

#endif
