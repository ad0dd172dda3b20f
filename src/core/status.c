#include "regimen/status.h"

#include <stdarg.h>
#include <string.h>

const char *rg_strerror(int status)
{
    switch (status) {
    case RG_OK: return "success";
    case RG_EINVAL: return "invalid input";
    case RG_ENOMEM: return "out of memory";
    case RG_EIO: return "input/output error";
    case RG_ENUMERIC: return "non-finite value in computation";
    case RG_EBUDGET: return "step budget exhausted";
    case RG_EFORMAT: return "damaged or foreign file";
    case RG_EEXIST: return "result exists (use --force to overwrite)";
    case RG_EMPI: return "MPI error";
    case RG_ELIMIT: return "model size limit exceeded";
    case RG_EINTERNAL: return "internal error";
    case RG_ECANCELED: return "canceled";
    case RG_ENOSPC: return "no space left for the output";
    default: return "unknown status";
    }
}

int rg_status_exit_code(int status)
{
    switch (status) {
    case RG_OK: return 0;
    case RG_EINVAL:
    case RG_EFORMAT:
    case RG_EEXIST:
    case RG_ELIMIT:
    case RG_ENOSPC: return 2;
    default: return 1;
    }
}

void rg_diag_init(rg_diag *d)
{
    d->count = 0;
    d->dropped = 0;
}

void rg_diag_add(rg_diag *d, const char *fmt, ...)
{
    if (d->count >= RG_DIAG_MAX) {
        d->dropped++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg[d->count], RG_DIAG_MSG, fmt, ap);
    va_end(ap);
    d->count++;
}

size_t rg_diag_total(const rg_diag *d)
{
    return d->count + d->dropped;
}

void rg_diag_print(const rg_diag *d, FILE *f)
{
    for (size_t i = 0; i < d->count; i++)
        fprintf(f, "%s\n", d->msg[i]);
    if (d->dropped)
        fprintf(f, "(%zu more errors not shown)\n", d->dropped);
}
