/* regimen: status codes and collected diagnostics.
 *
 * Every fallible function in libregimen returns an int from rg_status: 0 on success,
 * a negative code on failure. Details of input errors (file, line, key path) are
 * collected in an rg_diag owned by the caller, never in a static. */
#ifndef REGIMEN_STATUS_H
#define REGIMEN_STATUS_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    RG_OK = 0,
    RG_EINVAL = -1,     /* bad input: problem file, CLI argument, genome */
    RG_ENOMEM = -2,     /* allocation failed */
    RG_EIO = -3,        /* a file could not be read or written */
    RG_ENUMERIC = -4,   /* a non-finite value appeared in a computation */
    RG_EBUDGET = -5,    /* the step budget of one evaluation was exhausted */
    RG_EFORMAT = -6,    /* a file is damaged or not of the expected kind */
    RG_EEXIST = -7,     /* refusing to overwrite an existing result */
    RG_EMPI = -8,       /* an MPI call failed */
    RG_ELIMIT = -9,     /* a size limit of the model was exceeded */
    RG_EINTERNAL = -10, /* an invariant was broken: a bug */
    RG_ECANCELED = -11, /* stopped on request (a cancellation flag, set by a signal) */
    RG_ENOSPC = -12     /* a result did not fit: disk full, quota or file size limit */
} rg_status;

/* A static English description of a status code; never NULL. */
const char *rg_strerror(int status);

/* Exit status a command should use for a status: 0 ok, 2 bad input or an output that does not
 * fit (EINVAL, EFORMAT, EEXIST, ELIMIT, ENOSPC), 1 otherwise. */
int rg_status_exit_code(int status);

/* Collected messages. Input checks keep going after the first error so that a user sees
 * every problem of a file at once; past RG_DIAG_MAX messages only a count is kept. */
enum { RG_DIAG_MAX = 64, RG_DIAG_MSG = 320 };

typedef struct {
    size_t count;   /* messages stored (<= RG_DIAG_MAX) */
    size_t dropped; /* messages not stored because the list was full */
    char msg[RG_DIAG_MAX][RG_DIAG_MSG];
} rg_diag;

void rg_diag_init(rg_diag *d);
/* Appends one printf-formatted message; truncates to RG_DIAG_MSG - 1 characters. */
void rg_diag_add(rg_diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Total number of messages added, stored or not. */
size_t rg_diag_total(const rg_diag *d);
/* Prints every stored message on its own line, then "(N more errors not shown)". */
void rg_diag_print(const rg_diag *d, FILE *f);

#endif
