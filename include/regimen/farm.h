/* regimen: the MPI evaluation farm (master/worker, dynamic dispatch).
 *
 * All of regimen's MPI lives behind this header and parallel.h, which builds the
 * communicators (docs/style.md rule 11; the models are CoMD's src-mpi/parallel.c and PGAPack's
 * source/parallel.c). The farm is generic: it evaluates genomes through an rg_eval_ops
 * table and knows nothing of tumours.
 *
 * Life cycle (every call marked "collective" must be made by every rank of the
 * communicator):
 *
 *     rg_farm *farm;
 *     int rc = rg_farm_alloc(comm, ops, text, name, chunk, &farm, &diag);   // collective
 *     if (rc) { rank 0 prints diag; every rank finalizes and exits 2 }
 *     if (rg_farm_is_master(farm)) {
 *         ... rg_farm_eval_batch(farm, n, length, genomes, results) ...   // an rg_batch_fn
 *     } else {
 *         rc = rg_farm_serve(farm);        // returns when the master releases the workers
 *     }
 *     rg_farm_free(farm);                  // collective; on the master it releases workers
 *
 * Rank 0 of the communicator is the master, every other rank a worker. With one rank (or
 * comm == NULL, which needs no MPI start-up at all, and in a build without MPI) the master
 * evaluates in process through the same API, so a program runs the same with or without
 * mpirun.
 *
 * Dispatch. Work goes out in pieces of consecutive units: genomes, or their parts ("Parts"
 * below). Each worker holds up to RG_FARM_DEPTH pieces (a table on the master records
 * which): when it returns one, it is given the next at once, and the piece it already holds
 * keeps it busy meanwhile, so a worker never waits for the master to wake up. Results carry
 * their first index and are stored by index, so the order of arrival never matters and the
 * answer is bit-identical for any number of ranks (provided ops->eval is a pure function of
 * the genome). Chunk size: a fixed chunk N gives pieces of N units (the last one shorter).
 * Chunk 0 (automatic) gives guided self-scheduling (Polychronopoulos & Kuck, IEEE Trans.
 * Comput. C-36, 1987): each piece is remaining / (RG_FARM_DEPTH * workers) units, decreasing
 * as the batch runs down so that the generational barrier waits little, but never fewer than
 * the master can hand out without becoming the bottleneck (4 w m / t units for w workers,
 * the measured evaluation time per unit t and the master's measured time per piece m).
 *
 * Parts. When the ops split a genome into P > 1 parts (rg_eval_ops: a cohort problem's
 * patients), the unit of work is a part, not a genome: a batch of n genomes is n P units, in
 * order genome by genome, and pieces are runs of consecutive units (chunk counts units), so
 * one genome's patients may be evaluated on several workers and a piece may end inside a
 * genome. A piece carries the genomes its units belong to; each unit comes back as its
 * part's record, stored by index; when the batch is in, the master combines each genome's P
 * records in part order (ops->combine). The records are pure functions of (genome, part),
 * so the results stay bit-identical for any number of ranks and any chunk size, and equal
 * to ops->eval's, which a farm of one rank uses. Splitting keeps every worker busy to the
 * end of a batch whose genomes are long (a 64-patient schedule takes tens of ms).
 *
 * Waiting. A rank blocked in MPI_Recv spins at 100% of a core with Open MPI. The farm never
 * blocks in a receive: waiting ranks poll with MPI_Iprobe and sleep between polls, first
 * RG_FARM_POLL_MIN_NS after a message, doubling on each empty poll up to
 * RG_FARM_POLL_MAX_NS. While results stream in the master answers within about the time
 * between two results; during a long wait it wakes once a millisecond (docs/performance.md,
 * "MPI farm", gives the master's measured share of a core), and so does an idle worker.
 *
 * Failures. A bad genome or a failing evaluation comes back as an infeasible result with its
 * reason (ops->eval fills it), never a crash. A rank that cannot start (ops->create fails,
 * or the master had no problem text) is detected collectively inside rg_farm_alloc: every
 * rank returns the same status and the diagnostics of the lowest failing rank, so that main
 * prints one clear message on rank 0 and every rank finalizes and exits 2 (no rank is left
 * waiting; MPI_Abort is needed only when a rank cannot take part in the collective check,
 * which main does not do for input errors). MPI errors are returned as RG_EMPI with the MPI
 * message in rg_farm_error(). */
#ifndef REGIMEN_FARM_H
#define REGIMEN_FARM_H

#include <stddef.h>

#include "regimen/evaluate.h"
#include "regimen/parallel.h"
#include "regimen/status.h"

enum {
    RG_FARM_DEPTH = 2,            /* pieces a worker holds at once (1 running + 1 queued) */
    RG_FARM_CHUNK_AUTO = 0,       /* chunk argument: guided, from measured timings */
    RG_FARM_CHUNK_MAX = 65536,    /* no piece holds more genomes than this */
    RG_FARM_POLL_MIN_NS = 20000,  /* first sleep of a waiting rank after a message: 20 us */
    RG_FARM_POLL_MAX_NS = 1000000 /* sleeps double up to this: 1 ms */
};

typedef struct rg_farm rg_farm;

/* What the master measured, summed over every rg_farm_eval_batch call. Plain data. */
typedef struct {
    unsigned long long batches;     /* rg_farm_eval_batch calls */
    unsigned long long evaluations; /* genomes evaluated */
    unsigned long long parts;       /* units evaluated ("Parts": = evaluations unsplit) */
    unsigned long long pieces;      /* work messages sent (in process: batches) */
    double wall;                    /* seconds inside rg_farm_eval_batch */
    double cpu;            /* CPU seconds used by the master process during those calls */
    double master_busy;    /* seconds the master spent handling messages, not sleeping */
    double eval_seconds;   /* evaluation seconds reported by the evaluators (summed) */
    size_t last_piece_max; /* largest piece of the last batch (units) */
    size_t last_piece_min; /* smallest piece of the last batch (units) */
} rg_farm_stats;

/* Collective. Builds the farm on `comm` (parallel.h; the farm works on a duplicate of it
 * with MPI errors returned, and does not touch comm afterwards), or an in-process farm when
 * comm is NULL or has one rank.
 * On rank 0, `text` (the problem file's contents, NUL-terminated) and `name` (its name for
 * messages) are broadcast to every rank; on other ranks both are ignored and may be NULL.
 * A NULL text on rank 0 means the master could not read its problem: the caller puts the
 * reason in *diag first, and every rank returns RG_EIO.
 * Every rank calls ops->create(text, name, diag) and keeps the context until rg_farm_free.
 * `chunk`: units per piece (genomes, or parts: "Parts" above), RG_FARM_CHUNK_AUTO (0) for
 * automatic; larger values than
 * RG_FARM_CHUNK_MAX act as RG_FARM_CHUNK_MAX.
 * On success *farm is set (caller frees with rg_farm_free on every rank). On failure *farm
 * is NULL, and every rank returns the same status with *diag holding the diagnostics of the
 * lowest rank that failed, followed by a line naming that rank.
 * Returns RG_OK, RG_EINVAL (bad arguments, or ops->create failed on some rank), RG_EIO
 * (rank 0 had no text), RG_ENOMEM, RG_EMPI. */
int rg_farm_alloc(const rg_comm *comm, const rg_eval_ops *ops, const char *text,
                  const char *name, size_t chunk, rg_farm **farm, rg_diag *diag);

/* Collective. On the master, releases the workers still serving (a stop message each) and
 * then frees; on a worker, frees (call after rg_farm_serve returned). Destroys this rank's
 * evaluation context. NULL is a no-op. */
void rg_farm_free(rg_farm *farm);

/* Master: sets the chunk size for the following batches (same meaning as in
 * rg_farm_alloc; workers need not know it). No-op on workers. */
void rg_farm_set_chunk(rg_farm *farm, size_t chunk);

/* 1 on rank 0 (the master, also with one rank), 0 on workers. */
int rg_farm_is_master(const rg_farm *farm);
/* This rank's number and the number of ranks (1 in process). */
int rg_farm_rank(const rg_farm *farm);
int rg_farm_size(const rg_farm *farm);
/* The context ops->create built on this rank (owned by the farm). */
void *rg_farm_context(rg_farm *farm);

/* An rg_batch_fn: ctx is the master's rg_farm. Evaluates n genomes of `length` genes
 * (laid end to end in genomes[]) on the workers (in process with one rank) and writes
 * out[i] for genome i. Every genome is evaluated exactly once; failing evaluations come
 * back as infeasible results with their reason.
 * Returns RG_OK; RG_EINVAL when called on a worker or with length 0 and n > 0; RG_EMPI
 * (details in rg_farm_error) after an MPI failure or a malformed message (the workers can
 * then not be released: the caller ends the job with rg_parallel_abort); or the status an
 * ops->eval returned when its context broke (the batch is drained first, so the farm can
 * still be freed). */
int rg_farm_eval_batch(void *ctx, size_t n, size_t length, const double genomes[],
                       rg_eval_result out[]);

/* Worker side: serves pieces until the master's stop message. RG_OK then; RG_EMPI on an
 * MPI failure or a malformed message (the caller ends the job with rg_parallel_abort); RG_EINVAL
 * when called on the master. */
int rg_farm_serve(rg_farm *farm);

/* Master only: times `reps` round trips with worker 1 of a message of `bytes` bytes each
 * way (a piece and its results cost about this). Writes the mean round-trip seconds.
 * RG_EINVAL with fewer than 2 ranks or on a worker; RG_EMPI. */
int rg_farm_pingpong(rg_farm *farm, size_t bytes, int reps, double *seconds);

/* The master's measurements so far (zeros on workers). */
void rg_farm_get_stats(const rg_farm *farm, rg_farm_stats *stats);

/* The last MPI error's description, or "" (owned by the farm). */
const char *rg_farm_error(const rg_farm *farm);

#endif
