/* regimen: the MPI evaluation farm. All of regimen's MPI calls are in this file (besides
 * MPI_Init/MPI_Finalize/MPI_Abort in main). See include/regimen/farm.h for the contract.
 *
 * Wire format (every message is MPI_BYTE; rg_eval_result is plain fixed-size data and the
 * ranks of one job run the same binary, so bytes are the right type):
 *   TAG_WORK   master -> worker: work_hdr, then count * length doubles (genomes)
 *   TAG_RESULT worker -> master: result_hdr, then count rg_eval_result (by index)
 *   TAG_STOP   master -> worker: empty; the worker leaves rg_farm_serve
 *   TAG_PING   master -> worker: ping_hdr; the worker then echoes `reps` messages
 *   TAG_PONG   worker -> master: the echo
 * Messages between one pair of ranks with one tag are not overtaken (MPI standard 3.5), so
 * a worker returns its pieces in the order it received them and the master's table of what
 * each worker holds is a FIFO. */
#include "regimen/farm.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef enum {
    TAG_WORK = 101,
    TAG_RESULT = 102,
    TAG_STOP = 103,
    TAG_PING = 104,
    TAG_PONG = 105
} farm_tag;

typedef struct {
    uint64_t start;  /* index of the piece's first genome in the batch */
    uint32_t count;  /* genomes in the piece */
    uint32_t length; /* genes per genome */
} work_hdr;

typedef struct {
    uint64_t start;
    uint32_t count;
    int32_t status;  /* RG_OK, or the first status an ops->eval returned */
    double seconds;  /* time the worker spent evaluating the piece */
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
} farm_worker;

struct rg_farm {
    MPI_Comm comm; /* our duplicate, or MPI_COMM_NULL in process */
    int rank, size;
    size_t chunk;
    size_t piece_floor; /* least automatic piece in the current batch (auto_floor) */
    const rg_eval_ops *ops;
    void *ctx;
    int stopped; /* workers released (master) or stop received (worker) */
    int broken;  /* an MPI call failed: the protocol state is unknown */
    /* master */
    farm_worker *workers;     /* by rank; [0] unused */
    unsigned char **sendbuf;  /* [rank * DEPTH + slot] */
    MPI_Request *sendreq;
    size_t send_cap, recv_cap;
    unsigned char *recvbuf;
    /* worker */
    unsigned char *inbuf, *outbuf;
    size_t in_cap, out_cap;
    rg_farm_stats stats;
    char err[512];
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0.0;
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* One sleep of a polling wait; *ns starts at RG_FARM_POLL_MIN_NS after each message and
 * doubles up to RG_FARM_POLL_MAX_NS (exponential back-off). */
static void poll_sleep(long *ns)
{
    struct timespec ts = {0, *ns};
    nanosleep(&ts, NULL); /* EINTR (a signal) only shortens one wait */
    *ns = *ns * 2 > RG_FARM_POLL_MAX_NS ? RG_FARM_POLL_MAX_NS : *ns * 2;
}

/* Records an MPI failure; returns RG_EMPI. */
static int mpi_fail(rg_farm *f, int code, const char *what)
{
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(code, msg, &len) != MPI_SUCCESS)
        snprintf(msg, sizeof msg, "error code %d", code);
    snprintf(f->err, sizeof f->err, "rank %d: %.120s: %.250s", f->rank, what, msg);
    f->broken = 1;
    return RG_EMPI;
}

#define MPI_TRY(f, call)                                                                   \
    do {                                                                                   \
        int mpi_rc_ = (call);                                                              \
        if (mpi_rc_ != MPI_SUCCESS)                                                        \
            return mpi_fail((f), mpi_rc_, #call);                                          \
    } while (0)

static int grow(unsigned char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return RG_OK;
    unsigned char *p = realloc(*buf, need);
    if (!p)
        return RG_ENOMEM;
    *buf = p;
    *cap = need;
    return RG_OK;
}

/* Evaluates `count` genomes through ops into res[]; every result is filled even when
 * ops->eval fails. Returns the first non-OK status of ops->eval. */
static int eval_range(rg_farm *f, size_t count, size_t length, const double *genomes,
                      rg_eval_result *res)
{
    int status = RG_OK;
    for (size_t i = 0; i < count; i++) {
        rg_eval_result *r = &res[i];
        memset(r, 0, sizeof *r); /* padding and unused slots identical on every rank */
        int rc = f->ops->eval(f->ctx, genomes + i * length, length, r);
        if (rc != RG_OK) {
            if (!(r->flags & RG_RES_FAILED))
                rg_eval_result_fail(r, RG_MAX_OBJ, RG_RES_FAILED, rg_strerror(rc));
            if (status == RG_OK)
                status = rc;
        }
        r->reason[sizeof r->reason - 1] = '\0';
    }
    return status;
}

/* ---- construction ------------------------------------------------------------------- */

/* Collective: ranks agree whether every one of them succeeded. If some failed, the lowest
 * failing rank's status and diagnostics reach every rank. Returns that status or RG_OK. */
static int agree(rg_farm *f, int local, rg_diag *diag)
{
    int key = local != RG_OK ? f->rank : f->size, first = f->size;
    MPI_TRY(f, MPI_Allreduce(&key, &first, 1, MPI_INT, MPI_MIN, f->comm));
    if (first == f->size)
        return RG_OK;
    int32_t st = local;
    MPI_TRY(f, MPI_Bcast(&st, 1, MPI_INT32_T, first, f->comm));
    MPI_TRY(f, MPI_Bcast(diag, (int)sizeof *diag, MPI_BYTE, first, f->comm));
    rg_diag_add(diag, "(MPI rank %d of %d could not start)", first, f->size);
    return st;
}

static int farm_bcast_text(rg_farm *f, const char *text, const char *name, char **t_out,
                           char **n_out, rg_diag *diag)
{
    unsigned long long hdr[3] = {0, 0, 0};
    if (f->rank == 0) {
        hdr[0] = text ? 0u : 1u;
        hdr[1] = text ? strlen(text) : 0u;
        hdr[2] = name ? strlen(name) : 0u;
    }
    MPI_TRY(f, MPI_Bcast(hdr, 3, MPI_UNSIGNED_LONG_LONG, 0, f->comm));
    if (hdr[0] != 0) {
        if (f->rank != 0)
            rg_diag_add(diag, "MPI rank 0 could not read the problem");
        return RG_EIO;
    }
    if (hdr[1] >= INT_MAX || hdr[2] >= INT_MAX) {
        rg_diag_add(diag, "problem text too long to broadcast (%llu bytes)", hdr[1]);
        return RG_EINVAL;
    }
    char *t = malloc(hdr[1] + 1), *n = malloc(hdr[2] + 1);
    int ok = t && n, all = 0; /* every rank must take part in the broadcasts, or none */
    int mrc = MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, f->comm);
    if (mrc != MPI_SUCCESS || !all) {
        free(t);
        free(n);
        if (mrc != MPI_SUCCESS)
            return mpi_fail(f, mrc, "MPI_Allreduce(text buffers)");
        rg_diag_add(diag, "out of memory for the problem text on some MPI rank");
        return RG_ENOMEM;
    }
    if (f->rank == 0) {
        memcpy(t, text, hdr[1]);
        if (hdr[2])
            memcpy(n, name, hdr[2]);
    }
    t[hdr[1]] = '\0';
    n[hdr[2]] = '\0';
    int rc1 = MPI_Bcast(t, (int)hdr[1], MPI_CHAR, 0, f->comm);
    int rc2 = rc1 == MPI_SUCCESS ? MPI_Bcast(n, (int)hdr[2], MPI_CHAR, 0, f->comm) : rc1;
    if (rc2 != MPI_SUCCESS) {
        free(t);
        free(n);
        return mpi_fail(f, rc2, "MPI_Bcast(problem text)");
    }
    *t_out = t;
    *n_out = n;
    return RG_OK;
}

static void farm_release(rg_farm *f)
{
    if (f->ctx)
        f->ops->destroy(f->ctx);
    if (f->sendbuf)
        for (int i = 0; i < f->size * RG_FARM_DEPTH; i++)
            free(f->sendbuf[i]);
    free(f->sendbuf);
    free(f->sendreq);
    free(f->workers);
    free(f->recvbuf);
    free(f->inbuf);
    free(f->outbuf);
    if (f->comm != MPI_COMM_NULL)
        MPI_Comm_free(&f->comm);
    free(f);
}

int rg_farm_alloc(MPI_Comm comm, const rg_eval_ops *ops, const char *text, const char *name,
                  size_t chunk, rg_farm **farm, rg_diag *diag)
{
    if (!farm || !diag)
        return RG_EINVAL;
    *farm = NULL;
    if (!ops || !ops->create || !ops->destroy || !ops->eval) {
        rg_diag_add(diag, "farm: incomplete evaluation operations");
        return RG_EINVAL;
    }
    rg_farm *f = calloc(1, sizeof *f);
    if (!f)
        return RG_ENOMEM;
    f->comm = MPI_COMM_NULL;
    f->size = 1;
    f->chunk = chunk;
    f->ops = ops;
    char *t = NULL, *n = NULL;
    int rc = RG_OK;

    if (comm != MPI_COMM_NULL) {
        int up = 0;
        MPI_Initialized(&up);
        if (!up) {
            rg_diag_add(diag, "farm: MPI is not initialised");
            rc = RG_EINVAL;
            goto fail;
        }
        int mrc = MPI_Comm_dup(comm, &f->comm);
        if (mrc != MPI_SUCCESS) {
            f->comm = MPI_COMM_NULL;
            rc = mpi_fail(f, mrc, "MPI_Comm_dup");
            rg_diag_add(diag, "%s", f->err);
            goto fail;
        }
        MPI_Comm_set_errhandler(f->comm, MPI_ERRORS_RETURN);
        MPI_Comm_rank(f->comm, &f->rank);
        MPI_Comm_size(f->comm, &f->size);
    }

    if (f->size == 1) {
        if (!text) {
            rc = RG_EIO;
            goto fail;
        }
        f->ctx = ops->create(text, name ? name : "", diag);
        if (!f->ctx) {
            rc = RG_EINVAL;
            goto fail;
        }
        *farm = f;
        return RG_OK;
    }

    /* Rank 0 broadcasts the problem once; every rank builds its own state from it. */
    rc = farm_bcast_text(f, text, name, &t, &n, diag);
    if (rc == RG_EMPI) {
        rg_diag_add(diag, "%s", f->err);
        goto fail;
    }
    if (rc != RG_OK)
        goto fail; /* every rank saw the same header: all return the same status */
    int local = RG_OK;
    f->ctx = ops->create(t, n, diag);
    if (!f->ctx)
        local = RG_EINVAL;
    free(t);
    free(n);
    t = n = NULL;
    if (f->rank == 0 && local == RG_OK) {
        /* Allocated before the collective check so that a failure here stops every rank. */
        f->workers = calloc((size_t)f->size, sizeof *f->workers);
        f->sendbuf = calloc((size_t)f->size * RG_FARM_DEPTH, sizeof *f->sendbuf);
        f->sendreq = malloc((size_t)f->size * RG_FARM_DEPTH * sizeof *f->sendreq);
        if (!f->workers || !f->sendbuf || !f->sendreq) {
            rg_diag_add(diag, "farm: out of memory on the master");
            local = RG_ENOMEM;
        } else {
            for (int i = 0; i < f->size * RG_FARM_DEPTH; i++)
                f->sendreq[i] = MPI_REQUEST_NULL;
        }
    }
    rc = agree(f, local, diag);
    if (rc == RG_EMPI && f->broken)
        rg_diag_add(diag, "%s", f->err);
    if (rc != RG_OK)
        goto fail;
    *farm = f;
    return RG_OK;

fail:
    free(t);
    free(n);
    farm_release(f);
    return rc;
}

void rg_farm_free(rg_farm *farm)
{
    if (!farm)
        return;
    if (farm->rank == 0 && farm->size > 1 && !farm->stopped && !farm->broken) {
        MPI_Waitall(farm->size * RG_FARM_DEPTH, farm->sendreq, MPI_STATUSES_IGNORE);
        for (int w = 1; w < farm->size; w++)
            MPI_Send(NULL, 0, MPI_BYTE, w, TAG_STOP, farm->comm);
        farm->stopped = 1;
    }
    farm_release(farm);
}

void rg_farm_set_chunk(rg_farm *farm, size_t chunk)
{
    if (farm->rank == 0)
        farm->chunk = chunk;
}

int rg_farm_is_master(const rg_farm *farm) { return farm->rank == 0; }
int rg_farm_rank(const rg_farm *farm) { return farm->rank; }
int rg_farm_size(const rg_farm *farm) { return farm->size; }
void *rg_farm_context(rg_farm *farm) { return farm->ctx; }
const char *rg_farm_error(const rg_farm *farm) { return farm->err; }

void rg_farm_get_stats(const rg_farm *farm, rg_farm_stats *stats)
{
    *stats = farm->stats;
}

/* ---- master ------------------------------------------------------------------------- */

/* The least piece of automatic chunking, fixed for one batch (so that buffers sized at
 * the batch's start hold every piece): the master must hand out pieces faster than the
 * workers use them up. With m seconds of master time per piece and t per evaluation, w
 * workers need one piece every k t / w seconds; keep the master at most 1/4 busy. */
static size_t auto_floor(const rg_farm *f)
{
    const rg_farm_stats *s = &f->stats;
    if (s->evaluations == 0 || s->pieces == 0 || s->eval_seconds <= 0.0)
        return 1;
    double t = s->eval_seconds / (double)s->evaluations;
    double m = s->master_busy / (double)s->pieces;
    double lo = 4.0 * (double)(f->size - 1) * m / t;
    if (lo >= (double)RG_FARM_CHUNK_MAX)
        return RG_FARM_CHUNK_MAX;
    return lo < 1.0 ? 1 : (size_t)lo + 1;
}

/* Genomes in the next piece when `remaining` are left. Non-decreasing in `remaining`, so
 * piece_size(n) bounds every piece of a batch of n. */
static size_t piece_size(const rg_farm *f, size_t remaining, size_t length)
{
    size_t k;
    if (f->chunk != RG_FARM_CHUNK_AUTO) {
        k = f->chunk;
    } else {
        size_t w = (size_t)(f->size - 1), d = w * RG_FARM_DEPTH;
        k = (remaining + d - 1) / d; /* guided self-scheduling */
        if (k < f->piece_floor)
            k = f->piece_floor;
    }
    if (k > RG_FARM_CHUNK_MAX)
        k = RG_FARM_CHUNK_MAX;
    size_t byte_cap = ((size_t)INT_MAX - sizeof(work_hdr)) / (length * sizeof(double));
    size_t res_cap = ((size_t)INT_MAX - sizeof(result_hdr)) / sizeof(rg_eval_result);
    if (k > byte_cap)
        k = byte_cap;
    if (k > res_cap)
        k = res_cap;
    if (k > remaining)
        k = remaining;
    return k ? k : 1;
}

/* Buffers for pieces of up to kmax genomes. Called between batches only, when no send is
 * in flight, so a send buffer can move. */
static int master_buffers(rg_farm *f, size_t kmax, size_t length)
{
    size_t need = sizeof(work_hdr) + kmax * length * sizeof(double);
    if (need > f->send_cap) {
        for (int w = 1; w < f->size; w++)
            for (int s = 0; s < RG_FARM_DEPTH; s++) {
                unsigned char *p = realloc(f->sendbuf[w * RG_FARM_DEPTH + s], need);
                if (!p)
                    return RG_ENOMEM;
                f->sendbuf[w * RG_FARM_DEPTH + s] = p;
            }
        f->send_cap = need;
    }
    return grow(&f->recvbuf, &f->recv_cap,
                sizeof(result_hdr) + kmax * sizeof(rg_eval_result));
}

typedef struct {
    size_t n, length, next, outstanding;
    const double *genomes;
} batch_state;

static int send_piece(rg_farm *f, batch_state *b, int w)
{
    farm_worker *ws = &f->workers[w];
    int used[RG_FARM_DEPTH] = {0};
    for (int i = 0; i < ws->n_held; i++)
        used[ws->held[(ws->head + i) % RG_FARM_DEPTH].slot] = 1;
    int slot = 0;
    while (used[slot])
        slot++;
    MPI_Request *req = &f->sendreq[w * RG_FARM_DEPTH + slot];
    /* The worker answered the piece last sent from this slot, so it received it. */
    MPI_TRY(f, MPI_Wait(req, MPI_STATUS_IGNORE));

    size_t k = piece_size(f, b->n - b->next, b->length);
    unsigned char *buf = f->sendbuf[w * RG_FARM_DEPTH + slot];
    work_hdr h = {b->next, (uint32_t)k, (uint32_t)b->length};
    memcpy(buf, &h, sizeof h);
    memcpy(buf + sizeof h, b->genomes + b->next * b->length, k * b->length * sizeof(double));
    int bytes = (int)(sizeof h + k * b->length * sizeof(double));
    MPI_TRY(f, MPI_Isend(buf, bytes, MPI_BYTE, w, TAG_WORK, f->comm, req));

    ws->held[(ws->head + ws->n_held) % RG_FARM_DEPTH] = (farm_piece){b->next, k, slot};
    ws->n_held++;
    b->next += k;
    b->outstanding++;
    f->stats.pieces++;
    if (k > f->stats.last_piece_max)
        f->stats.last_piece_max = k;
    if (f->stats.last_piece_min == 0 || k < f->stats.last_piece_min)
        f->stats.last_piece_min = k;
    return RG_OK;
}

/* Receives one result message (already probed), stores it by index. */
static int take_result(rg_farm *f, batch_state *b, const MPI_Status *st, rg_eval_result out[],
                       int *eval_status)
{
    int bytes = 0, src = st->MPI_SOURCE;
    MPI_TRY(f, MPI_Get_count(st, MPI_BYTE, &bytes));
    if (bytes < (int)sizeof(result_hdr) || (size_t)bytes > f->recv_cap || src <= 0 ||
        src >= f->size) {
        snprintf(f->err, sizeof f->err, "farm: malformed result message from rank %d", src);
        f->broken = 1;
        return RG_EMPI; /* the exchange cannot go on, as after an MPI failure */
    }
    MPI_TRY(f, MPI_Recv(f->recvbuf, bytes, MPI_BYTE, src, TAG_RESULT, f->comm,
                        MPI_STATUS_IGNORE));
    result_hdr h;
    memcpy(&h, f->recvbuf, sizeof h);
    farm_worker *ws = &f->workers[src];
    const farm_piece *p = &ws->held[ws->head];
    if (ws->n_held == 0 || h.start != p->start || h.count != p->count ||
        (size_t)bytes != sizeof h + (size_t)h.count * sizeof(rg_eval_result)) {
        snprintf(f->err, sizeof f->err,
                 "farm: rank %d returned a piece it was not given (start %llu, %u genomes)",
                 src, (unsigned long long)h.start, (unsigned)h.count);
        f->broken = 1;
        return RG_EMPI; /* the exchange cannot go on, as after an MPI failure */
    }
    memcpy(out + h.start, f->recvbuf + sizeof h, (size_t)h.count * sizeof(rg_eval_result));
    ws->head = (ws->head + 1) % RG_FARM_DEPTH;
    ws->n_held--;
    b->outstanding--;
    f->stats.evaluations += h.count;
    f->stats.eval_seconds += h.seconds;
    if (h.status != RG_OK && *eval_status == RG_OK)
        *eval_status = h.status;
    return RG_OK;
}

static int batch_mpi(rg_farm *f, size_t n, size_t length, const double genomes[],
                     rg_eval_result out[])
{
    f->piece_floor = auto_floor(f);
    int rc = master_buffers(f, piece_size(f, n, length), length);
    if (rc != RG_OK)
        return rc;
    batch_state b = {n, length, 0, 0, genomes};
    int eval_status = RG_OK;
    double t0 = now();
    f->stats.last_piece_max = 0;
    f->stats.last_piece_min = 0;
    /* Fill every worker's table, lowest rank first. */
    for (int d = 0; d < RG_FARM_DEPTH; d++)
        for (int w = 1; w < f->size && b.next < n; w++)
            if ((rc = send_piece(f, &b, w)) != RG_OK)
                return rc;
    f->stats.master_busy += now() - t0;

    long nap = RG_FARM_POLL_MIN_NS;
    while (b.outstanding > 0) {
        int flag = 0;
        MPI_Status st;
        MPI_TRY(f, MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, f->comm, &flag, &st));
        if (!flag) {
            poll_sleep(&nap);
            continue;
        }
        nap = RG_FARM_POLL_MIN_NS;
        double t1 = now();
        if ((rc = take_result(f, &b, &st, out, &eval_status)) != RG_OK)
            return rc;
        if (eval_status == RG_OK && b.next < n)
            if ((rc = send_piece(f, &b, st.MPI_SOURCE)) != RG_OK)
                return rc;
        f->stats.master_busy += now() - t1;
    }
    MPI_TRY(f, MPI_Waitall(f->size * RG_FARM_DEPTH, f->sendreq, MPI_STATUSES_IGNORE));
    /* After a broken context, genomes never sent are reported, not left unset. */
    for (size_t i = b.next; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        rg_eval_result_fail(&out[i], RG_MAX_OBJ, RG_RES_FAILED,
                            "not evaluated: an evaluation context failed on a worker");
    }
    return eval_status;
}

int rg_farm_eval_batch(void *ctx, size_t n, size_t length, const double genomes[],
                       rg_eval_result out[])
{
    rg_farm *f = ctx;
    if (!f || f->rank != 0 || f->stopped || (n > 0 && (length == 0 || !genomes || !out)))
        return RG_EINVAL;
    if (f->broken)
        return RG_EMPI;
    if (n == 0)
        return RG_OK;
    double w0 = now(), c0 = cpu_seconds();
    int rc;
    if (f->size == 1) {
        rc = eval_range(f, n, length, genomes, out);
        double dt = now() - w0;
        f->stats.evaluations += n;
        f->stats.eval_seconds += dt;
        f->stats.pieces++;
        f->stats.last_piece_max = f->stats.last_piece_min = n;
    } else {
        rc = batch_mpi(f, n, length, genomes, out);
    }
    f->stats.batches++;
    f->stats.wall += now() - w0;
    f->stats.cpu += cpu_seconds() - c0;
    return rc;
}

int rg_farm_pingpong(rg_farm *farm, size_t bytes, int reps, double *seconds)
{
    rg_farm *f = farm;
    if (!f || f->rank != 0 || f->size < 2 || f->stopped || reps <= 0 || !seconds ||
        bytes > INT_MAX / 2)
        return RG_EINVAL;
    if (f->broken)
        return RG_EMPI;
    int rc = grow(&f->recvbuf, &f->recv_cap, bytes > 0 ? bytes : 1u);
    if (rc != RG_OK)
        return rc;
    /* One untimed round trip first: the worker may be asleep between polls. */
    ping_hdr h = {reps + 1, (int32_t)bytes};
    MPI_TRY(f, MPI_Send(&h, (int)sizeof h, MPI_BYTE, 1, TAG_PING, f->comm));
    memset(f->recvbuf, 0, bytes);
    MPI_TRY(f, MPI_Send(f->recvbuf, (int)bytes, MPI_BYTE, 1, TAG_PING, f->comm));
    MPI_TRY(f, MPI_Recv(f->recvbuf, (int)bytes, MPI_BYTE, 1, TAG_PONG, f->comm,
                        MPI_STATUS_IGNORE));
    double t0 = MPI_Wtime();
    for (int i = 0; i < reps; i++) {
        MPI_TRY(f, MPI_Send(f->recvbuf, (int)bytes, MPI_BYTE, 1, TAG_PING, f->comm));
        MPI_TRY(f, MPI_Recv(f->recvbuf, (int)bytes, MPI_BYTE, 1, TAG_PONG, f->comm,
                            MPI_STATUS_IGNORE));
    }
    *seconds = (MPI_Wtime() - t0) / reps;
    return RG_OK;
}

/* ---- worker ------------------------------------------------------------------------- */

static int serve_piece(rg_farm *f, int bytes)
{
    work_hdr h;
    memcpy(&h, f->inbuf, sizeof h);
    if (h.length == 0 ||
        (size_t)bytes != sizeof h + (size_t)h.count * h.length * sizeof(double)) {
        snprintf(f->err, sizeof f->err, "farm: rank %d got a malformed piece", f->rank);
        f->broken = 1;
        return RG_EMPI; /* the exchange cannot go on, as after an MPI failure */
    }
    int rc = grow(&f->outbuf, &f->out_cap,
                  sizeof(result_hdr) + (size_t)h.count * sizeof(rg_eval_result));
    if (rc != RG_OK)
        return rc;
    /* malloc's alignment and the 16-byte header keep the doubles aligned. */
    double *g = (double *)(void *)(f->inbuf + sizeof h);
    rg_eval_result *res = (rg_eval_result *)(void *)(f->outbuf + sizeof(result_hdr));
    double t0 = now();
    int status = eval_range(f, h.count, h.length, g, res);
    result_hdr r = {h.start, h.count, status, now() - t0};
    memcpy(f->outbuf, &r, sizeof r);
    int out = (int)(sizeof r + (size_t)h.count * sizeof(rg_eval_result));
    MPI_TRY(f, MPI_Send(f->outbuf, out, MPI_BYTE, 0, TAG_RESULT, f->comm));
    return RG_OK;
}

static int serve_ping(rg_farm *f)
{
    ping_hdr h;
    memcpy(&h, f->inbuf, sizeof h);
    int rc = grow(&f->outbuf, &f->out_cap, h.bytes > 0 ? (size_t)h.bytes : 1u);
    if (rc != RG_OK)
        return rc;
    for (int i = 0; i < h.reps; i++) {
        MPI_TRY(f, MPI_Recv(f->outbuf, h.bytes, MPI_BYTE, 0, TAG_PING, f->comm,
                            MPI_STATUS_IGNORE));
        MPI_TRY(f, MPI_Send(f->outbuf, h.bytes, MPI_BYTE, 0, TAG_PONG, f->comm));
    }
    return RG_OK;
}

int rg_farm_serve(rg_farm *farm)
{
    rg_farm *f = farm;
    if (!f || f->rank == 0)
        return RG_EINVAL;
    if (f->broken)
        return RG_EMPI;
    long nap = RG_FARM_POLL_MIN_NS;
    while (!f->stopped) {
        int flag = 0, bytes = 0;
        MPI_Status st;
        MPI_TRY(f, MPI_Iprobe(0, MPI_ANY_TAG, f->comm, &flag, &st));
        if (!flag) {
            poll_sleep(&nap);
            continue;
        }
        nap = RG_FARM_POLL_MIN_NS;
        MPI_TRY(f, MPI_Get_count(&st, MPI_BYTE, &bytes));
        int rc = grow(&f->inbuf, &f->in_cap, bytes > 0 ? (size_t)bytes : 1u);
        if (rc != RG_OK)
            return rc;
        MPI_TRY(f, MPI_Recv(f->inbuf, bytes, MPI_BYTE, 0, st.MPI_TAG, f->comm,
                            MPI_STATUS_IGNORE));
        switch (st.MPI_TAG) {
        case TAG_STOP:
            f->stopped = 1;
            break;
        case TAG_WORK:
            if ((rc = serve_piece(f, bytes)) != RG_OK)
                return rc;
            break;
        case TAG_PING:
            if (bytes != (int)sizeof(ping_hdr)) {
                snprintf(f->err, sizeof f->err, "farm: rank %d got a malformed ping", f->rank);
                f->broken = 1;
                return RG_EMPI;
            }
            if ((rc = serve_ping(f)) != RG_OK)
                return rc;
            break;
        default:
            snprintf(f->err, sizeof f->err, "farm: rank %d got unknown tag %d", f->rank,
                     st.MPI_TAG);
            f->broken = 1;
            return RG_EMPI;
        }
    }
    return RG_OK;
}
