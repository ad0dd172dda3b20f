/* regimen: a worker of the farm over MPI (farm_mpi.h): evaluates the pieces the master
 * sends (runs of units: genomes or their parts, farm.h) and echoes its pings until the stop
 * message. */
#include <stdio.h>
#include <string.h>

#include "farm_mpi.h"

static int serve_piece(rg_farm *f, int bytes)
{
    rg_farm_net *net = f->net;
    work_hdr h;
    memcpy(&h, net->inbuf, sizeof h);
    size_t span = rg_farm_span(f, h.start, h.count);
    if (h.length == 0 || (size_t)bytes != sizeof h + span * h.length * sizeof(double)) {
        snprintf(f->err, sizeof f->err, "farm: rank %d got a malformed piece", f->rank);
        f->broken = 1;
        return RG_EMPI; /* the exchange cannot go on, as after an MPI failure */
    }
    int rc = rg_farm_grow(&net->outbuf, &net->out_cap,
                          sizeof(result_hdr) + (size_t)h.count * f->part_bytes);
    if (rc != RG_OK)
        return rc;
    /* malloc's alignment and the 16-byte header keep the doubles aligned. */
    double *g = (double *)(void *)(net->inbuf + sizeof h);
    double t0 = rg_farm_now();
    int status =
        rg_farm_eval_units(f, h.start, h.count, h.length, g, net->outbuf + sizeof(result_hdr));
    result_hdr r = {h.start, h.count, status, rg_farm_now() - t0};
    memcpy(net->outbuf, &r, sizeof r);
    int out = (int)(sizeof r + (size_t)h.count * f->part_bytes);
    MPI_TRY(f, MPI_Send(net->outbuf, out, MPI_BYTE, 0, TAG_RESULT, net->comm));
    return RG_OK;
}

static int serve_ping(rg_farm *f)
{
    rg_farm_net *net = f->net;
    ping_hdr h;
    memcpy(&h, net->inbuf, sizeof h);
    int rc = rg_farm_grow(&net->outbuf, &net->out_cap, h.bytes > 0 ? (size_t)h.bytes : 1u);
    if (rc != RG_OK)
        return rc;
    for (int i = 0; i < h.reps; i++) {
        MPI_TRY(f, MPI_Recv(net->outbuf, h.bytes, MPI_BYTE, 0, TAG_PING, net->comm,
                            MPI_STATUS_IGNORE));
        MPI_TRY(f, MPI_Send(net->outbuf, h.bytes, MPI_BYTE, 0, TAG_PONG, net->comm));
    }
    return RG_OK;
}

int rg_farm_serve(rg_farm *farm)
{
    rg_farm *f = farm;
    rg_farm_net *net = f ? f->net : NULL;
    if (!f || f->rank == 0)
        return RG_EINVAL;
    if (f->broken)
        return RG_EMPI;
    long nap = RG_FARM_POLL_MIN_NS;
    while (!f->stopped) {
        int flag = 0, bytes = 0;
        MPI_Status st;
        MPI_TRY(f, MPI_Iprobe(0, MPI_ANY_TAG, net->comm, &flag, &st));
        if (!flag) {
            rg_farm_poll_sleep(&nap);
            continue;
        }
        nap = RG_FARM_POLL_MIN_NS;
        MPI_TRY(f, MPI_Get_count(&st, MPI_BYTE, &bytes));
        int rc = rg_farm_grow(&net->inbuf, &net->in_cap, bytes > 0 ? (size_t)bytes : 1u);
        if (rc != RG_OK)
            return rc;
        MPI_TRY(f, MPI_Recv(net->inbuf, bytes, MPI_BYTE, 0, st.MPI_TAG, net->comm,
                            MPI_STATUS_IGNORE));
        switch (st.MPI_TAG) {
        case TAG_STOP: f->stopped = 1; break;
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
