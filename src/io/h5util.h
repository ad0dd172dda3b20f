/* Internal: small HDF5 helpers shared by results_h5.c and checkpoint.c (not installed).
 *
 * Every helper takes an rg_h5 context that names the file; the first failure is recorded
 * (status + a message naming the file and the object) and later calls become no-ops, so a
 * writer or reader is a straight list of calls followed by one check. Strings are written as
 * fixed-length, NUL-terminated UTF-8 (an attribute over 60 kB as variable-length); the
 * readers take either kind. */
#ifndef REGIMEN_IO_H5UTIL_H
#define REGIMEN_IO_H5UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <hdf5.h>

#include "regimen/safefile.h"
#include "regimen/status.h"

typedef struct {
    const char *file; /* name used in messages */
    rg_diag *diag;    /* may be NULL */
    int status;       /* first error, RG_OK until then */
} rg_h5;

/* Turns HDF5's automatic error printing off (regimen prints its own messages). */
void rg_h5_quiet(void);

void rg_h5_fail(rg_h5 *h, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- writing ---- */
hid_t rg_h5_group(rg_h5 *h, hid_t loc, const char *name); /* H5I_INVALID_HID on error */
void rg_h5_close_group(hid_t g);
void rg_h5_attr_str(rg_h5 *h, hid_t obj, const char *name, const char *value);
/* n strings of a fixed-width char table (stride bytes apart), as a 1-D string array. */
void rg_h5_attr_strs(rg_h5 *h, hid_t obj, const char *name, size_t n, const char *table,
                     size_t stride);
/* n values (n == 0: a scalar attribute holding data[0]). */
void rg_h5_attr_num(rg_h5 *h, hid_t obj, const char *name, hid_t memtype, hid_t filetype,
                    size_t n, const void *data);
/* A dataset; extendible: chunked along the first dimension (unlimited) and deflate-
 * compressed. A NULL data with a zero-size shape writes an empty dataset. */
void rg_h5_dset(rg_h5 *h, hid_t loc, const char *name, hid_t memtype, hid_t filetype, int rank,
                const hsize_t dims[], const void *data, int extendible);
/* An extendible dataset of shape dims written row by row (row i: dims[1] x ... values);
 * the caller closes it with H5Dclose. H5I_INVALID_HID on failure. */
hid_t rg_h5_dset_rows(rg_h5 *h, hid_t loc, const char *name, hid_t filetype, int rank,
                      const hsize_t dims[]);
void rg_h5_dset_put_row(rg_h5 *h, hid_t d, const char *name, hid_t memtype, size_t row,
                        const void *data);
void rg_h5_dset_str(rg_h5 *h, hid_t loc, const char *name, const char *text);
void rg_h5_dset_strs(rg_h5 *h, hid_t loc, const char *name, size_t n, const char *table,
                     size_t stride);
/* Atomic writing (h->file names the destination path): create_tmp creates the temporary
 * file next to it (its name into tmp) and returns H5I_INVALID_HID on failure (RG_EINVAL:
 * path too long; RG_EIO: cannot create). commit_tmp flushes and closes f, then renames tmp
 * onto h->file (rg_safefile_commit; force: replace an existing file) when every step so far
 * succeeded, else removes tmp; returns the final status. */
hid_t rg_h5_create_tmp(rg_h5 *h, char tmp[RG_SAFEFILE_PATH_MAX]);
int rg_h5_commit_tmp(rg_h5 *h, hid_t f, const char *tmp, bool force);
/* Writes a unit/description attribute pair on an existing dataset. */
void rg_h5_describe(rg_h5 *h, hid_t loc, const char *dset, const char *units,
                    const char *description);

/* ---- reading ---- */
hid_t rg_h5_open_group(rg_h5 *h, hid_t loc, const char *name);
int rg_h5_exists(hid_t loc, const char *path); /* 1 when a link path exists */
/* A string attribute into buf (truncated to cap - 1). */
void rg_h5_read_attr_str(rg_h5 *h, hid_t obj, const char *name, char *buf, size_t cap);
/* A string attribute, malloc'ed; caller frees. */
char *rg_h5_read_attr_strdup(rg_h5 *h, hid_t obj, const char *name);
/* A 1-D string attribute into a fixed-width table of at most max rows; *n its length. */
void rg_h5_read_attr_strs(rg_h5 *h, hid_t obj, const char *name, char *table, size_t stride,
                          size_t max, size_t *n);
/* A numeric attribute of exactly n values (n == 0: scalar or 1 value). */
void rg_h5_read_attr_num(rg_h5 *h, hid_t obj, const char *name, hid_t memtype, size_t n,
                         void *out);
/* A numeric dataset of the given rank, converted to memtype (element size esize); *out is
 * malloc'ed (NULL when empty), dims[] receives its shape. */
void rg_h5_read_dset(rg_h5 *h, hid_t loc, const char *name, hid_t memtype, size_t esize,
                     int rank, hsize_t dims[], void **out);
/* A scalar string dataset, malloc'ed. */
char *rg_h5_read_dset_str(rg_h5 *h, hid_t loc, const char *name);
/* A 1-D string dataset into a fixed-width table. */
void rg_h5_read_dset_strs(rg_h5 *h, hid_t loc, const char *name, char *table, size_t stride,
                          size_t max, size_t *n);

/* Opens a file for reading with a clear error: not there (RG_EIO), not HDF5 or damaged
 * (RG_EFORMAT). Returns H5I_INVALID_HID on failure. */
hid_t rg_h5_open_file(rg_h5 *h, const char *path);

/* The results part of a file (shared by results files and checkpoints): `put` writes every
 * group of rg_results under the open file; `get` reads them back into an empty record. */
#include "regimen/results.h"
void rg_results_h5_put(rg_h5 *h, hid_t file, const rg_results *r, const char *format);
void rg_results_h5_get(rg_h5 *h, hid_t file, rg_results *r, char *format, size_t cap);
/* Group /history alone (results_h5_history.c), for rg_results_h5_put. */
void rg_results_h5_put_history(rg_h5 *h, hid_t file, const rg_results *r);
/* Group /trajectories (results_h5_traj.c), for rg_results_h5_put and rg_results_h5_get. */
void rg_results_h5_put_trajectories(rg_h5 *h, hid_t file, const rg_results *r);
void rg_results_h5_get_trajectories(rg_h5 *h, hid_t file, rg_results *r);
/* Group /cohort (results_h5_cohort.c): every patient's records on a cohort problem. */
/* records: also every patient's records of the front and the regimens (results files; a
 * checkpoint stores the patients only). */
void rg_results_h5_put_cohort(rg_h5 *h, hid_t file, const rg_results *r, bool records);
void rg_results_h5_get_cohort(rg_h5 *h, hid_t file, rg_results *r);

#endif
