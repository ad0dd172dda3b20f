/* regimen: the farm's master over MPI (farm_mpi.h): dynamic dispatch of one batch to the
 * workers (guided self-scheduling over units, genomes or their parts: farm.h) and the
 * ping-pong timing. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "farm_mpi.h"

/* The least piece of automatic chunking, fixed for one batch (so that buffers sized at
 * the batch's start hold every piece): the master must hand out pieces faster than the
 * workers use them up. With m seconds of master time per piece and t per evaluation, w
 * workers need one piece every k t / w seconds; keep the master at most 1/4 busy. */
static size_t auto_floor(const rg_farm *f)
{
    const rg_farm_stats *s = &f->stats;
    if (s->parts == 0 || s->pieces == 0 || s->eval_seconds <= 0.0)
        return 1;
    double t = s->eval_seconds / (double)s->parts;
    double m = s->master_busy / (double)s->pieces;
    double lo = 4.0 * (double)(f->size - 1) * m / t;
    if (lo >= (double)RG_FARM_CHUNK_MAX)
        return RG_FARM_CHUNK_MAX;
    return lo < 1.0 ? 1 : (size_t)lo + 1;
}

/* Units in the next piece when `remaining` are left. Non-decreasing in `remaining`, so
 * piece_size(n) bounds every piece of a batch of n units. */
static size_t piece_size(const rg_farm *f, size_t remaining, size_t length)
{
    rg_farm_net *net = f->net;
    size_t k;
    if (f->chunk != RG_FARM_CHUNK_AUTO) {
        k = f->chunk;
    } else {
        size_t w = (size_t)(f->size - 1), d = w * RG_FARM_DEPTH;
        k = (remaining + d - 1) / d; /* guided self-scheduling */
        if (k < net->piece_floor)
            k = net->piece_floor;
    }
    if (k > RG_FARM_CHUNK_MAX)
        k = RG_FARM_CHUNK_MAX;
    /* k units span at most k / P + 2 genomes (k when P = 1) */
    size_t P = f->n_parts;
    size_t byte_cap = ((size_t)INT_MAX - sizeof(work_hdr)) / (length * sizeof(double));
    if (P > 1)
        byte_cap = byte_cap > 2 ? (byte_cap - 2) * P : 1;
    size_t res_cap = ((size_t)INT_MAX - sizeof(result_hdr)) / f->part_bytes;
    if (k > byte_cap)
        k = byte_cap;
    if (k > res_cap)
        k = res_cap;
    if (k > remaining)
        k = remaining;
    return k ? k : 1;
}

/* Buffers for pieces of up to kmax units of a batch of n genomes. Called between batches
 * only, when no send is in flight, so a send buffer can move. */
static int master_buffers(rg_farm *f, size_t kmax, size_t n, size_t length)
{
    rg_farm_net *net = f->net;
    size_t P = f->n_parts, span = P == 1 ? kmax : kmax / P + 2;
    size_t need = sizeof(work_hdr) + span * length * sizeof(double);
    if (need > net->send_cap) {
        for (int w = 1; w < f->size; w++)
            for (int s = 0; s < RG_FARM_DEPTH; s++) {
                unsigned char *p = realloc(net->sendbuf[w * RG_FARM_DEPTH + s], need);
                if (!p)
                    return RG_ENOMEM;
                net->sendbuf[w * RG_FARM_DEPTH + s] = p;
            }
        net->send_cap = need;
    }
    if (P > 1 && (rg_farm_grow(&net->records, &net->records_cap, n * P * f->part_bytes) ||
                  rg_farm_grow(&net->done, &net->done_cap, n * sizeof(size_t))))
        return RG_ENOMEM;
    if (P > 1)
        memset(net->done, 0, n * sizeof(size_t));
    return rg_farm_grow(&net->recvbuf, &net->recv_cap,
                        sizeof(result_hdr) + kmax * f->part_bytes);
}

typedef struct {
    size_t n, length, next, outstanding; /* n, next: units */
    size_t returned;                     /* units answered */
    const double *genomes;
    unsigned char *records; /* by unit: out[] itself when genomes are not split */
    rg_eval_result *out;
} batch_state;

/* Split genomes: counts the units of [start, start + count) in each genome's tally and
 * combines every genome whose last unit this was, while the workers are still busy, so that
 * little is left to do after the batch's last result. */
static void combine_complete(rg_farm *f, batch_state *b, size_t start, size_t count,
                             int eval_status)
{
    size_t P = f->n_parts, end = start + count;
    size_t *done = (size_t *)(void *)f->net->done;
    for (size_t g = start / P; count > 0 && g <= (end - 1) / P; g++) {
        size_t lo = start > g * P ? start : g * P, hi = end < (g + 1) * P ? end : (g + 1) * P;
        done[g] += hi - lo;
        if (done[g] == P && eval_status == RG_OK)
            rg_farm_combine(f, b->records + g * P * f->part_bytes, &b->out[g]);
    }
}

static int send_piece(rg_farm *f, batch_state *b, int w)
{
    rg_farm_net *net = f->net;
    farm_worker *ws = &net->workers[w];
    int used[RG_FARM_DEPTH] = {0};
    for (int i = 0; i < ws->n_held; i++)
        used[ws->held[(ws->head + i) % RG_FARM_DEPTH].slot] = 1;
    int slot = 0;
    while (used[slot])
        slot++;
    MPI_Request *req = &net->sendreq[w * RG_FARM_DEPTH + slot];
    /* The worker answered the piece last sent from this slot, so it received it. */
    MPI_TRY(f, MPI_Wait(req, MPI_STATUS_IGNORE));

    size_t k = piece_size(f, b->n - b->next, b->length);
    size_t g0 = b->next / f->n_parts, span = rg_farm_span(f, b->next, k);
    unsigned char *buf = net->sendbuf[w * RG_FARM_DEPTH + slot];
    work_hdr h = {b->next, (uint32_t)k, (uint32_t)b->length};
    memcpy(buf, &h, sizeof h);
    memcpy(buf + sizeof h, b->genomes + g0 * b->length, span * b->length * sizeof(double));
    int bytes = (int)(sizeof h + span * b->length * sizeof(double));
    MPI_TRY(f, MPI_Isend(buf, bytes, MPI_BYTE, w, TAG_WORK, net->comm, req));

    ws->held[(ws->head + ws->n_held) % RG_FARM_DEPTH] = (farm_piece){b->next, k, slot};
    if (ws->n_held == 0)
        ws->since = rg_farm_now();
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

/* Receives one result message (already probed), stores its records by index. */
static int take_result(rg_farm *f, batch_state *b, const MPI_Status *st, int *eval_status)
{
    rg_farm_net *net = f->net;
    int bytes = 0, src = st->MPI_SOURCE;
    MPI_TRY(f, MPI_Get_count(st, MPI_BYTE, &bytes));
    if (bytes < (int)sizeof(result_hdr) || (size_t)bytes > net->recv_cap || src <= 0 ||
        src >= f->size) {
        snprintf(f->err, sizeof f->err, "farm: malformed result message from rank %d", src);
        f->broken = 1;
        return RG_EMPI; /* the exchange cannot go on, as after an MPI failure */
    }
    MPI_TRY(f, MPI_Recv(net->recvbuf, bytes, MPI_BYTE, src, TAG_RESULT, net->comm,
                        MPI_STATUS_IGNORE));
    result_hdr h;
    memcpy(&h, net->recvbuf, sizeof h);
    farm_worker *ws = &net->workers[src];
    const farm_piece *p = &ws->held[ws->head];
    if (ws->n_held == 0 || h.start != p->start || h.count != p->count ||
        (size_t)bytes != sizeof h + (size_t)h.count * f->part_bytes) {
        snprintf(f->err, sizeof f->err,
                 "farm: rank %d returned a piece it was not given (start %llu, %u units)", src,
                 (unsigned long long)h.start, (unsigned)h.count);
        f->broken = 1;
        return RG_EMPI; /* the exchange cannot go on, as after an MPI failure */
    }
    memcpy(b->records + h.start * f->part_bytes, net->recvbuf + sizeof h,
           (size_t)h.count * f->part_bytes);
    ws->head = (ws->head + 1) % RG_FARM_DEPTH;
    ws->n_held--;
    b->outstanding--;
    b->returned += h.count;
    f->stats.parts += h.count;
    f->stats.eval_seconds += h.seconds;
    ws->since = rg_farm_now();
    if (h.count > 0 && h.seconds / h.count > f->eval_max)
        f->eval_max = h.seconds / h.count;
    if (h.status != RG_OK && *eval_status == RG_OK)
        *eval_status = h.status;
    if (f->n_parts > 1)
        combine_complete(f, b, h.start, h.count, *eval_status);
    return RG_OK;
}

/* The watchdog: a worker holding work that has been silent for longer than
 * RG_FARM_STALL_FACTOR times that work at the longest evaluation per unit measured so far,
 * and longer than f->stall_floor, is taken as hung (stopped, or its node lost): the batch
 * fails (RG_EMPI) so that the master can checkpoint and end the job. */
static int check_stalls(rg_farm *f)
{
    rg_farm_net *net = f->net;
    double now = rg_farm_now();
    for (int w = 1; w < f->size; w++) {
        const farm_worker *ws = &net->workers[w];
        if (ws->n_held == 0)
            continue;
        size_t held = 0;
        for (int i = 0; i < ws->n_held; i++)
            held += ws->held[(ws->head + i) % RG_FARM_DEPTH].count;
        double limit = RG_FARM_STALL_FACTOR * f->eval_max * (double)held;
        if (limit < f->stall_floor)
            limit = f->stall_floor;
        if (now - ws->since > limit) {
            snprintf(f->err, sizeof f->err,
                     "farm: rank %d has not answered for %.0f s (timeout %.0f s: %.0f times "
                     "its %zu units at the longest evaluation, %.3g s, and at least %.0f s)",
                     w, now - ws->since, limit, RG_FARM_STALL_FACTOR, held, f->eval_max,
                     f->stall_floor);
            f->broken = 1;
            return RG_EMPI;
        }
    }
    return RG_OK;
}

int rg_farm_net_batch(rg_farm *f, size_t n, size_t length, const double genomes[],
                      rg_eval_result out[])
{
    rg_farm_net *net = f->net;
    size_t P = f->n_parts, units = n * P;
    net->piece_floor = auto_floor(f);
    int rc = master_buffers(f, piece_size(f, units, length), n, length);
    if (rc != RG_OK)
        return rc;
    batch_state b = {
        units, length, 0, 0, 0, genomes, P == 1 ? (unsigned char *)out : net->records, out};
    int eval_status = RG_OK;
    double t0 = rg_farm_now();
    f->stats.last_piece_max = 0;
    f->stats.last_piece_min = 0;
    /* Fill every worker's table, lowest rank first. */
    for (int d = 0; d < RG_FARM_DEPTH; d++)
        for (int w = 1; w < f->size && b.next < units; w++)
            if ((rc = send_piece(f, &b, w)) != RG_OK)
                return rc;
    f->stats.master_busy += rg_farm_now() - t0;

    long nap = RG_FARM_POLL_MIN_NS;
    while (b.outstanding > 0) {
        int flag = 0;
        MPI_Status st;
        MPI_TRY(f, MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, net->comm, &flag, &st));
        if (!flag) {
            if ((rc = check_stalls(f)) != RG_OK)
                return rc;
            rg_farm_poll_sleep(&nap);
            continue;
        }
        nap = RG_FARM_POLL_MIN_NS;
        double t1 = rg_farm_now();
        if ((rc = take_result(f, &b, &st, &eval_status)) != RG_OK)
            return rc;
        if (eval_status == RG_OK && b.next < units)
            if ((rc = send_piece(f, &b, st.MPI_SOURCE)) != RG_OK)
                return rc;
        f->stats.master_busy += rg_farm_now() - t1;
    }
    MPI_TRY(f, MPI_Waitall(f->size * RG_FARM_DEPTH, net->sendreq, MPI_STATUSES_IGNORE));
    f->stats.evaluations += b.returned / P;
    /* After a broken context, genomes never sent are reported, not left unset; a split
     * genome may have parts never evaluated, so every one of them is reported. */
    size_t from = eval_status == RG_OK ? n : P == 1 ? b.next : 0;
    for (size_t i = from; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        rg_eval_result_fail(&out[i], RG_MAX_OBJ, RG_RES_FAILED,
                            "not evaluated: an evaluation context failed on a worker");
    }
    return eval_status;
}

int rg_farm_pingpong(rg_farm *farm, size_t bytes, int reps, double *seconds)
{
    rg_farm *f = farm;
    rg_farm_net *net = f ? f->net : NULL;
    if (!f || f->rank != 0 || f->size < 2 || f->stopped || reps <= 0 || !seconds ||
        bytes > INT_MAX / 2)
        return RG_EINVAL;
    if (f->broken)
        return RG_EMPI;
    int rc = rg_farm_grow(&net->recvbuf, &net->recv_cap, bytes > 0 ? bytes : 1u);
    if (rc != RG_OK)
        return rc;
    /* One untimed round trip first: the worker may be asleep between polls. */
    ping_hdr h = {reps + 1, (int32_t)bytes};
    MPI_TRY(f, MPI_Send(&h, (int)sizeof h, MPI_BYTE, 1, TAG_PING, net->comm));
    memset(net->recvbuf, 0, bytes);
    MPI_TRY(f, MPI_Send(net->recvbuf, (int)bytes, MPI_BYTE, 1, TAG_PING, net->comm));
    MPI_TRY(f, MPI_Recv(net->recvbuf, (int)bytes, MPI_BYTE, 1, TAG_PONG, net->comm,
                        MPI_STATUS_IGNORE));
    double t0 = MPI_Wtime();
    for (int i = 0; i < reps; i++) {
        MPI_TRY(f, MPI_Send(net->recvbuf, (int)bytes, MPI_BYTE, 1, TAG_PING, net->comm));
        MPI_TRY(f, MPI_Recv(net->recvbuf, (int)bytes, MPI_BYTE, 1, TAG_PONG, net->comm,
                            MPI_STATUS_IGNORE));
    }
    *seconds = (MPI_Wtime() - t0) / reps;
    return RG_OK;
}
