/* regimen: the farm's start-up and shutdown over MPI (farm_mpi.h): joining the
 * communicator, broadcasting the problem, the collective check that every rank could start,
 * releasing the workers. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "farm_mpi.h"

int rg_farm_mpi_fail(rg_farm *f, int code, const char *what)
{
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(code, msg, &len) != MPI_SUCCESS)
        snprintf(msg, sizeof msg, "error code %d", code);
    snprintf(f->err, sizeof f->err, "rank %d: %.120s: %.250s", f->rank, what, msg);
    f->broken = 1;
    return RG_EMPI;
}

void rg_farm_poll_sleep(long *ns)
{
    struct timespec ts = {0, *ns};
    nanosleep(&ts, NULL); /* EINTR (a signal) only shortens one wait */
    *ns = *ns * 2 > RG_FARM_POLL_MAX_NS ? RG_FARM_POLL_MAX_NS : *ns * 2;
}

int rg_farm_grow(unsigned char **buf, size_t *cap, size_t need)
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

int rg_farm_net_open(rg_farm *f, const rg_comm *comm, rg_diag *diag)
{
    int up = 0;
    MPI_Initialized(&up);
    if (!up) {
        rg_diag_add(diag, "farm: MPI is not initialised");
        return RG_EINVAL;
    }
    f->net = calloc(1, sizeof *f->net);
    if (!f->net)
        return RG_ENOMEM;
    int mrc = MPI_Comm_dup(comm->comm, &f->net->comm);
    if (mrc != MPI_SUCCESS) {
        f->net->comm = MPI_COMM_NULL;
        int rc = rg_farm_mpi_fail(f, mrc, "MPI_Comm_dup");
        rg_diag_add(diag, "%s", f->err);
        return rc;
    }
    MPI_Comm_set_errhandler(f->net->comm, MPI_ERRORS_RETURN);
    MPI_Comm_rank(f->net->comm, &f->rank);
    MPI_Comm_size(f->net->comm, &f->size);
    return RG_OK;
}

void rg_farm_net_close(rg_farm *f)
{
    rg_farm_net *net = f->net;
    if (!net)
        return;
    if (net->sendbuf)
        for (int i = 0; i < f->size * RG_FARM_DEPTH; i++)
            free(net->sendbuf[i]);
    free(net->sendbuf);
    free(net->sendreq);
    free(net->workers);
    free(net->recvbuf);
    free(net->records);
    free(net->done);
    free(net->inbuf);
    free(net->outbuf);
    if (net->comm != MPI_COMM_NULL)
        MPI_Comm_free(&net->comm);
    free(net);
    f->net = NULL;
}

void rg_farm_net_release(rg_farm *f)
{
    MPI_Waitall(f->size * RG_FARM_DEPTH, f->net->sendreq, MPI_STATUSES_IGNORE);
    for (int w = 1; w < f->size; w++)
        MPI_Send(NULL, 0, MPI_BYTE, w, TAG_STOP, f->net->comm);
}

/* Collective: ranks agree whether every one of them succeeded. If some failed, the lowest
 * failing rank's status and diagnostics reach every rank. Returns that status or RG_OK. */
static int agree(rg_farm *f, int local, rg_diag *diag)
{
    int key = local != RG_OK ? f->rank : f->size, first = f->size;
    MPI_TRY(f, MPI_Allreduce(&key, &first, 1, MPI_INT, MPI_MIN, f->net->comm));
    if (first == f->size)
        return RG_OK;
    int32_t st = local;
    MPI_TRY(f, MPI_Bcast(&st, 1, MPI_INT32_T, first, f->net->comm));
    MPI_TRY(f, MPI_Bcast(diag, (int)sizeof *diag, MPI_BYTE, first, f->net->comm));
    rg_diag_add(diag, "(MPI rank %d of %d could not start)", first, f->size);
    return st;
}

static int bcast_text(rg_farm *f, const char *text, const char *name, char **t_out,
                      char **n_out, rg_diag *diag)
{
    MPI_Comm comm = f->net->comm;
    unsigned long long hdr[3] = {0, 0, 0};
    if (f->rank == 0) {
        hdr[0] = text ? 0u : 1u;
        hdr[1] = text ? strlen(text) : 0u;
        hdr[2] = name ? strlen(name) : 0u;
    }
    MPI_TRY(f, MPI_Bcast(hdr, 3, MPI_UNSIGNED_LONG_LONG, 0, comm));
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
    int mrc = MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm);
    if (mrc != MPI_SUCCESS || !all) {
        free(t);
        free(n);
        if (mrc != MPI_SUCCESS)
            return rg_farm_mpi_fail(f, mrc, "MPI_Allreduce(text buffers)");
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
    int rc1 = MPI_Bcast(t, (int)hdr[1], MPI_CHAR, 0, comm);
    int rc2 = rc1 == MPI_SUCCESS ? MPI_Bcast(n, (int)hdr[2], MPI_CHAR, 0, comm) : rc1;
    if (rc2 != MPI_SUCCESS) {
        free(t);
        free(n);
        return rg_farm_mpi_fail(f, rc2, "MPI_Bcast(problem text)");
    }
    *t_out = t;
    *n_out = n;
    return RG_OK;
}

/* The master's dispatch tables, allocated before the collective check so that a failure
 * here stops every rank. */
static int master_tables(rg_farm *f, rg_diag *diag)
{
    rg_farm_net *net = f->net;
    net->workers = calloc((size_t)f->size, sizeof *net->workers);
    net->sendbuf = calloc((size_t)f->size * RG_FARM_DEPTH, sizeof *net->sendbuf);
    net->sendreq = malloc((size_t)f->size * RG_FARM_DEPTH * sizeof *net->sendreq);
    if (!net->workers || !net->sendbuf || !net->sendreq) {
        rg_diag_add(diag, "farm: out of memory on the master");
        return RG_ENOMEM;
    }
    for (int i = 0; i < f->size * RG_FARM_DEPTH; i++)
        net->sendreq[i] = MPI_REQUEST_NULL;
    return RG_OK;
}

int rg_farm_net_start(rg_farm *f, const char *text, const char *name, rg_diag *diag)
{
    char *t = NULL, *n = NULL;
    int rc = bcast_text(f, text, name, &t, &n, diag);
    if (rc == RG_EMPI) {
        rg_diag_add(diag, "%s", f->err);
        return rc;
    }
    if (rc != RG_OK)
        return rc; /* every rank saw the same header: all return the same status */
    int local = RG_OK;
    f->ctx = f->ops->create(t, n, diag);
    if (!f->ctx)
        local = RG_EINVAL;
    free(t);
    free(n);
    if (f->rank == 0 && local == RG_OK)
        local = master_tables(f, diag);
    rc = agree(f, local, diag);
    if (rc == RG_EMPI && f->broken)
        rg_diag_add(diag, "%s", f->err);
    return rc;
}
