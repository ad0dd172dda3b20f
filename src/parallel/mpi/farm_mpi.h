/* The farm's message passing with MPI (built with RG_MPI=ON): the wire format and the
 * state shared by farm_net.c (start-up, shutdown), farm_master.c and farm_worker.c.
 *
 * Wire format (every message is MPI_BYTE; rg_eval_result is plain fixed-size data and the
 * ranks of one job run the same binary, so bytes are the right type):
 *   TAG_WORK   master -> worker: work_hdr, then the genomes the piece's units belong to
 *              (rg_farm_span of them, length doubles each)
 *   TAG_RESULT worker -> master: result_hdr, then count records of part_bytes (by index;
 *              rg_eval_result when genomes are not split: farm.h, "Parts")
 *   TAG_STOP   master -> worker: empty; the worker leaves rg_farm_serve
 *   TAG_PING   master -> worker: ping_hdr; the worker then echoes `reps` messages
 *   TAG_PONG   worker -> master: the echo
 * Messages between one pair of ranks with one tag are not overtaken (MPI standard 3.5), so
 * a worker returns its pieces in the order it received them and the master's table of what
 * each worker holds is a FIFO. */
#ifndef REGIMEN_PARALLEL_FARM_MPI_H
#define REGIMEN_PARALLEL_FARM_MPI_H

#include <stdint.h>

#include <mpi.h>

#include "../farm_internal.h"

/* parallel.h's opaque communicator (parallel_mpi.c builds it). */
struct rg_comm {
    MPI_Comm comm;
};

typedef enum {
    TAG_WORK = 101,
    TAG_RESULT = 102,
    TAG_STOP = 103,
    TAG_PING = 104,
    TAG_PONG = 105
} farm_tag;

typedef struct {
    uint64_t start;  /* index of the piece's first unit in the batch */
    uint32_t count;  /* units in the piece */
    uint32_t length; /* genes per genome */
} work_hdr;

typedef struct {
    uint64_t start;
    uint32_t count;
    int32_t status; /* RG_OK, or the first status an ops->eval returned */
    double seconds; /* time the worker spent evaluating the piece */
} result_hdr;

typedef struct {
    int32_t reps;
    int32_t bytes;
} ping_hdr;

typedef struct {
    size_t start, count;
    int slot; /* send buffer holding the piece */
} farm_piece;

typedef struct {
    farm_piece held[RG_FARM_DEPTH]; /* FIFO: held[(head + i) % DEPTH], i < n_held */
    int head, n_held;
    double since; /* when it last made progress: its first piece sent or a result received */
} farm_worker;

struct rg_farm_net {
    MPI_Comm comm;      /* our duplicate */
    size_t piece_floor; /* least automatic piece in the current batch (farm_master.c) */
    /* master */
    farm_worker *workers;    /* by rank; [0] unused */
    unsigned char **sendbuf; /* [rank * DEPTH + slot] */
    MPI_Request *sendreq;
    size_t send_cap, recv_cap, records_cap;
    unsigned char *recvbuf;
    unsigned char *records; /* a split batch's part records, by unit (farm.h, "Parts") */
    unsigned char *done;    /* a split batch's units in per genome (size_t each) */
    size_t done_cap;
    /* worker */
    unsigned char *inbuf, *outbuf;
    size_t in_cap, out_cap;
};

/* Records an MPI failure in f->err (f is then broken); returns RG_EMPI. */
int rg_farm_mpi_fail(rg_farm *f, int code, const char *what);

#define MPI_TRY(f, call)                                  \
    do {                                                  \
        int mpi_rc_ = (call);                             \
        if (mpi_rc_ != MPI_SUCCESS)                       \
            return rg_farm_mpi_fail((f), mpi_rc_, #call); \
    } while (0)

/* One sleep of a polling wait; *ns starts at RG_FARM_POLL_MIN_NS after each message and
 * doubles up to RG_FARM_POLL_MAX_NS (exponential back-off). */
void rg_farm_poll_sleep(long *ns);

/* Grows *buf to at least `need` bytes. RG_OK or RG_ENOMEM. */
int rg_farm_grow(unsigned char **buf, size_t *cap, size_t need);

#endif
