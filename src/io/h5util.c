/* Small HDF5 helpers with first-error recording (see h5util.h). */
#include "h5util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void rg_h5_quiet(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void rg_h5_fail(rg_h5 *h, int status, const char *fmt, ...)
{
    if (h->status != RG_OK)
        return;
    h->status = status;
    if (!h->diag)
        return;
    char msg[RG_DIAG_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rg_diag_add(h->diag, "%s: %s", h->file, msg);
}

static hid_t vlen_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

hid_t rg_h5_group(rg_h5 *h, hid_t loc, const char *name)
{
    if (h->status != RG_OK)
        return H5I_INVALID_HID;
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        rg_h5_fail(h, RG_EIO, "cannot create group '%s'", name);
    return g;
}

void rg_h5_close_group(hid_t g)
{
    if (g >= 0)
        H5Gclose(g);
}

/* Closes an attribute (is_attr) or a dataset. */
static void close_obj(hid_t o, int is_attr)
{
    if (is_attr)
        H5Aclose(o);
    else
        H5Dclose(o);
}

/* Fixed-length strings are written wherever they fit: the reader then never follows a
 * global-heap reference, which no HDF5 checksum covers (docs/results-format.md,
 * "Integrity"). An attribute is limited to 64 kB in HDF5's compact storage, so a longer
 * string attribute (a very long command line) stays variable-length. */
#define RG_H5_FIXED_ATTR_MAX 60000u

/* A fixed-length UTF-8 string type of w bytes, NUL-terminated. */
static hid_t fixed_str_type(size_t w)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, w) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* Writes strings as an attribute (is_attr) or a dataset named name on loc: a scalar
 * holding strs[0] when scalar, else a 1-D array of n (nothing written when n == 0). */
static void write_strings(rg_h5 *h, hid_t loc, int is_attr, const char *name, int scalar,
                          size_t n, const char *const *strs)
{
    size_t cnt = scalar ? 1 : n, w = 1;
    for (size_t i = 0; i < cnt; i++) {
        size_t len = strlen(strs[i]) + 1;
        if (len > w)
            w = len;
    }
    int fixed = !is_attr || cnt * w <= RG_H5_FIXED_ATTR_MAX;
    char *buf = NULL;
    if (fixed && cnt > 0) {
        buf = calloc(cnt, w);
        if (!buf) {
            rg_h5_fail(h, RG_ENOMEM, "out of memory writing '%s'", name);
            return;
        }
        for (size_t i = 0; i < cnt; i++)
            memcpy(buf + i * w, strs[i], strlen(strs[i]));
    }
    const void *data = fixed ? (const void *)buf : (const void *)strs;
    hsize_t dim = n;
    hid_t t = fixed ? fixed_str_type(w) : vlen_str_type();
    hid_t s = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    hid_t o = H5I_INVALID_HID;
    if (t >= 0 && s >= 0)
        o = is_attr ? H5Acreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT)
                    : H5Dcreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = 0;
    if (o >= 0 && cnt > 0)
        rc = is_attr ? H5Awrite(o, t, data)
                     : H5Dwrite(o, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    if (o < 0 || rc < 0)
        rg_h5_fail(h, RG_EIO, "cannot write %s '%s'", is_attr ? "attribute" : "dataset", name);
    if (o >= 0)
        close_obj(o, is_attr);
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    free(buf);
}

static void write_string(rg_h5 *h, hid_t loc, int is_attr, const char *name, const char *value)
{
    if (h->status != RG_OK)
        return;
    const char *v = value ? value : "";
    write_strings(h, loc, is_attr, name, 1, 1, &v);
}

/* n strings of a fixed-width char table (stride bytes apart) as a 1-D array. */
static void write_table(rg_h5 *h, hid_t loc, int is_attr, const char *name, size_t n,
                        const char *table, size_t stride)
{
    if (h->status != RG_OK)
        return;
    const char **ptrs = malloc((n ? n : 1) * sizeof *ptrs);
    if (!ptrs) {
        rg_h5_fail(h, RG_ENOMEM, "out of memory writing '%s'", name);
        return;
    }
    for (size_t i = 0; i < n; i++)
        ptrs[i] = table + i * stride;
    write_strings(h, loc, is_attr, name, 0, n, ptrs);
    free(ptrs);
}

void rg_h5_attr_str(rg_h5 *h, hid_t obj, const char *name, const char *value)
{
    write_string(h, obj, 1, name, value);
}

void rg_h5_attr_strs(rg_h5 *h, hid_t obj, const char *name, size_t n, const char *table,
                     size_t stride)
{
    write_table(h, obj, 1, name, n, table, stride);
}

void rg_h5_attr_num(rg_h5 *h, hid_t obj, const char *name, hid_t memtype, hid_t filetype,
                    size_t n, const void *data)
{
    if (h->status != RG_OK)
        return;
    hsize_t dim = n;
    hid_t s = n == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    hid_t a =
        s >= 0 ? H5Acreate2(obj, name, filetype, s, H5P_DEFAULT, H5P_DEFAULT) : H5I_INVALID_HID;
    if (a < 0 || H5Awrite(a, memtype, data) < 0)
        rg_h5_fail(h, RG_EIO, "cannot write attribute '%s'", name);
    if (a >= 0)
        H5Aclose(a);
    if (s >= 0)
        H5Sclose(s);
}

/* Creates dataset name of shape dims (extendible: chunked by rows of the first dimension,
 * unlimited along it, shuffle + deflate); H5I_INVALID_HID on failure (recorded in h). */
static hid_t create_dset(rg_h5 *h, hid_t loc, const char *name, hid_t filetype, int rank,
                         const hsize_t dims[], int extendible)
{
    if (h->status != RG_OK)
        return H5I_INVALID_HID;
    hsize_t maxdims[8], chunk[8];
    for (int i = 0; i < rank; i++) {
        maxdims[i] = dims[i];
        chunk[i] = dims[i] ? dims[i] : 1;
    }
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (extendible && rank > 0) {
        maxdims[0] = H5S_UNLIMITED;
        chunk[0] = 1;
        H5Pset_chunk(dcpl, rank, chunk);
        if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
            H5Pset_shuffle(dcpl);
            H5Pset_deflate(dcpl, 1);
        }
    }
    hid_t s = H5Screate_simple(rank, dims, maxdims);
    hid_t d = s >= 0 ? H5Dcreate2(loc, name, filetype, s, H5P_DEFAULT, dcpl, H5P_DEFAULT)
                     : H5I_INVALID_HID;
    if (d < 0)
        rg_h5_fail(h, RG_EIO, "cannot write dataset '%s'", name);
    if (s >= 0)
        H5Sclose(s);
    H5Pclose(dcpl);
    return d;
}

void rg_h5_dset(rg_h5 *h, hid_t loc, const char *name, hid_t memtype, hid_t filetype, int rank,
                const hsize_t dims[], const void *data, int extendible)
{
    if (h->status != RG_OK)
        return;
    hsize_t count = 1;
    for (int i = 0; i < rank; i++)
        count *= dims[i];
    if (count > 0 && !data) {
        rg_h5_fail(h, RG_EINVAL, "no data for dataset '%s'", name);
        return;
    }
    hid_t d = create_dset(h, loc, name, filetype, rank, dims, extendible);
    if (d >= 0 && count > 0 && H5Dwrite(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        rg_h5_fail(h, RG_EIO, "cannot write dataset '%s'", name);
    if (d >= 0)
        H5Dclose(d);
}

hid_t rg_h5_dset_rows(rg_h5 *h, hid_t loc, const char *name, hid_t filetype, int rank,
                      const hsize_t dims[])
{
    return create_dset(h, loc, name, filetype, rank, dims, 1);
}

void rg_h5_dset_put_row(rg_h5 *h, hid_t d, const char *name, hid_t memtype, size_t row,
                        const void *data)
{
    if (h->status != RG_OK || d < 0)
        return;
    hid_t fs = H5Dget_space(d);
    int rank = fs >= 0 ? H5Sget_simple_extent_ndims(fs) : -1;
    hsize_t dims[8], start[8] = {0};
    herr_t e = -1;
    if (rank >= 1 && rank <= 8 && H5Sget_simple_extent_dims(fs, dims, NULL) == rank &&
        row < dims[0]) {
        start[0] = row;
        dims[0] = 1;
        hid_t ms = H5Screate_simple(rank, dims, NULL);
        if (ms >= 0 && H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, dims, NULL) >= 0)
            e = H5Dwrite(d, memtype, ms, fs, H5P_DEFAULT, data);
        if (ms >= 0)
            H5Sclose(ms);
    }
    if (e < 0)
        rg_h5_fail(h, RG_EIO, "cannot write row %zu of dataset '%s'", row, name);
    if (fs >= 0)
        H5Sclose(fs);
}

void rg_h5_dset_str(rg_h5 *h, hid_t loc, const char *name, const char *text)
{
    write_string(h, loc, 0, name, text);
}

void rg_h5_dset_strs(rg_h5 *h, hid_t loc, const char *name, size_t n, const char *table,
                     size_t stride)
{
    write_table(h, loc, 0, name, n, table, stride);
}

void rg_h5_describe(rg_h5 *h, hid_t loc, const char *dset, const char *units,
                    const char *description)
{
    if (h->status != RG_OK)
        return;
    hid_t d = H5Dopen2(loc, dset, H5P_DEFAULT);
    if (d < 0) {
        rg_h5_fail(h, RG_EIO, "cannot open dataset '%s'", dset);
        return;
    }
    if (units)
        rg_h5_attr_str(h, d, "units", units);
    if (description)
        rg_h5_attr_str(h, d, "description", description);
    H5Dclose(d);
}

/* ---------------------------------------------------------------- reading */

int rg_h5_exists(hid_t loc, const char *path)
{
    /* H5Lexists needs every intermediate group to exist: walk the path. */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf; (p = strchr(p + 1, '/'));) {
        *p = '\0';
        if (H5Lexists(loc, buf, H5P_DEFAULT) <= 0)
            return 0;
        *p = '/';
    }
    return H5Lexists(loc, buf, H5P_DEFAULT) > 0;
}

hid_t rg_h5_open_group(rg_h5 *h, hid_t loc, const char *name)
{
    if (h->status != RG_OK)
        return H5I_INVALID_HID;
    if (!rg_h5_exists(loc, name)) {
        rg_h5_fail(h, RG_EFORMAT, "missing group '/%s'", name);
        return H5I_INVALID_HID;
    }
    hid_t g = H5Gopen2(loc, name, H5P_DEFAULT);
    if (g < 0)
        rg_h5_fail(h, RG_EFORMAT, "cannot open group '/%s' (damaged file?)", name);
    return g;
}

static hid_t open_attr(rg_h5 *h, hid_t obj, const char *name)
{
    if (h->status != RG_OK)
        return H5I_INVALID_HID;
    htri_t e = H5Aexists(obj, name);
    if (e <= 0) {
        rg_h5_fail(h, RG_EFORMAT, "missing attribute '%s'", name);
        return H5I_INVALID_HID;
    }
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        rg_h5_fail(h, RG_EFORMAT, "cannot read attribute '%s' (damaged file?)", name);
    return a;
}

static hid_t open_dset(rg_h5 *h, hid_t loc, const char *name)
{
    if (h->status != RG_OK)
        return H5I_INVALID_HID;
    if (!rg_h5_exists(loc, name)) {
        rg_h5_fail(h, RG_EFORMAT, "missing dataset '%s'", name);
        return H5I_INVALID_HID;
    }
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        rg_h5_fail(h, RG_EFORMAT, "cannot open dataset '%s' (damaged file?)", name);
    return d;
}

/* Reads a whole attribute (is_attr) or dataset into buf as memory type mt. */
static herr_t read_all(hid_t obj, int is_attr, hid_t mt, void *buf)
{
    return is_attr ? H5Aread(obj, mt, buf)
                   : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
}

/* Reads a string-typed attribute or dataset selection into malloc'ed copies. */
static char **read_strings(rg_h5 *h, hid_t obj, int is_attr, const char *name, size_t *n)
{
    hid_t ft = is_attr ? H5Aget_type(obj) : H5Dget_type(obj);
    hid_t sp = is_attr ? H5Aget_space(obj) : H5Dget_space(obj);
    char **out = NULL;
    size_t cnt = 0;
    *n = 0;
    if (ft < 0 || sp < 0 || H5Tget_class(ft) != H5T_STRING) {
        rg_h5_fail(h, RG_EFORMAT, "'%s' is not a string", name);
        goto done;
    }
    hssize_t count = H5Sget_simple_extent_npoints(sp);
    if (count < 0 || H5Sget_simple_extent_ndims(sp) > 1) {
        rg_h5_fail(h, RG_EFORMAT, "'%s' has an unexpected shape", name);
        goto done;
    }
    out = calloc((size_t)count + 1, sizeof *out);
    cnt = (size_t)count;
    if (!out) {
        rg_h5_fail(h, RG_ENOMEM, "out of memory reading '%s'", name);
        goto done;
    }
    if (H5Tis_variable_str(ft) > 0) {
        hid_t mt = H5Tcopy(ft); /* the file's character set: HDF5 converts none */
        char **tmp = calloc((size_t)count + 1, sizeof *tmp);
        herr_t rc = tmp ? read_all(obj, is_attr, mt, tmp) : -1;
        if (rc < 0)
            rg_h5_fail(h, RG_EFORMAT, "cannot read '%s' (damaged file?)", name);
        for (hssize_t i = 0; rc >= 0 && i < count; i++) {
            out[i] = strdup(tmp[i] ? tmp[i] : "");
            if (!out[i])
                rg_h5_fail(h, RG_ENOMEM, "out of memory reading '%s'", name);
        }
        if (rc >= 0)
            for (hssize_t i = 0; i < count; i++)
                H5free_memory(tmp[i]);
        free(tmp);
        H5Tclose(mt);
    } else {
        size_t w = H5Tget_size(ft);
        hid_t mt = H5Tcopy(ft); /* as above */
        char *buf = calloc((size_t)count * w + 1, 1);
        herr_t rc = buf ? read_all(obj, is_attr, mt, buf) : -1;
        if (rc < 0)
            rg_h5_fail(h, RG_EFORMAT, "cannot read '%s' (damaged file?)", name);
        for (hssize_t i = 0; rc >= 0 && i < count; i++) {
            out[i] = strndup(buf + (size_t)i * w, w);
            if (!out[i])
                rg_h5_fail(h, RG_ENOMEM, "out of memory reading '%s'", name);
        }
        free(buf);
        H5Tclose(mt);
    }
    *n = (size_t)count;
done:
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    if (h->status != RG_OK && out) {
        for (size_t i = 0; i < cnt; i++)
            free(out[i]);
        free(out);
        out = NULL;
        *n = 0;
    }
    return out;
}

static void free_strings(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

void rg_h5_read_attr_str(rg_h5 *h, hid_t obj, const char *name, char *buf, size_t cap)
{
    char *s = rg_h5_read_attr_strdup(h, obj, name);
    if (s)
        snprintf(buf, cap, "%s", s);
    free(s);
}

static void copy_table(rg_h5 *h, const char *name, char **s, size_t n, char *table,
                       size_t stride, size_t max, size_t *nout)
{
    if (n > max) {
        rg_h5_fail(h, RG_EFORMAT, "'%s' holds %zu names, more than the %zu allowed", name, n,
                   max);
        return;
    }
    for (size_t i = 0; i < n; i++)
        snprintf(table + i * stride, stride, "%s", s[i]);
    *nout = n;
}

/* One string from an attribute (is_attr) or a dataset, malloc'ed. */
static char *read_string(rg_h5 *h, hid_t loc, int is_attr, const char *name)
{
    hid_t o = is_attr ? open_attr(h, loc, name) : open_dset(h, loc, name);
    if (o < 0)
        return NULL;
    size_t n = 0;
    char **s = read_strings(h, o, is_attr, name, &n);
    close_obj(o, is_attr);
    char *out = NULL;
    if (s && n == 1) {
        out = s[0];
        s[0] = NULL;
    } else if (s) {
        rg_h5_fail(h, RG_EFORMAT, "%s '%s' should hold one string",
                   is_attr ? "attribute" : "dataset", name);
    }
    free_strings(s, n);
    return out;
}

/* A 1-D string attribute (is_attr) or dataset into a fixed-width table. */
static void read_table(rg_h5 *h, hid_t loc, int is_attr, const char *name, char *table,
                       size_t stride, size_t max, size_t *nout)
{
    hid_t o = is_attr ? open_attr(h, loc, name) : open_dset(h, loc, name);
    if (o < 0)
        return;
    size_t n = 0;
    char **s = read_strings(h, o, is_attr, name, &n);
    close_obj(o, is_attr);
    if (s)
        copy_table(h, name, s, n, table, stride, max, nout);
    free_strings(s, n);
}

char *rg_h5_read_attr_strdup(rg_h5 *h, hid_t obj, const char *name)
{
    return read_string(h, obj, 1, name);
}

void rg_h5_read_attr_strs(rg_h5 *h, hid_t obj, const char *name, char *table, size_t stride,
                          size_t max, size_t *nout)
{
    read_table(h, obj, 1, name, table, stride, max, nout);
}

char *rg_h5_read_dset_str(rg_h5 *h, hid_t loc, const char *name)
{
    return read_string(h, loc, 0, name);
}

void rg_h5_read_dset_strs(rg_h5 *h, hid_t loc, const char *name, char *table, size_t stride,
                          size_t max, size_t *nout)
{
    read_table(h, loc, 0, name, table, stride, max, nout);
}

/* true when the stored type ft converts to memtype without loss: the same class (integer or
 * floating point), for integers the same signedness, and no more bytes. HDF5 would otherwise
 * clip silently (a seed of -1 stored as int64 reads as 0 into uint64). */
static bool type_fits(hid_t ft, hid_t memtype)
{
    H5T_class_t cls = ft >= 0 ? H5Tget_class(ft) : H5T_NO_CLASS;
    if ((cls != H5T_INTEGER && cls != H5T_FLOAT) || cls != H5Tget_class(memtype))
        return false;
    if (cls == H5T_INTEGER && H5Tget_sign(ft) != H5Tget_sign(memtype))
        return false;
    return H5Tget_size(ft) <= H5Tget_size(memtype);
}

void rg_h5_read_attr_num(rg_h5 *h, hid_t obj, const char *name, hid_t memtype, size_t n,
                         void *out)
{
    hid_t a = open_attr(h, obj, name);
    if (a < 0)
        return;
    hid_t sp = H5Aget_space(a), ft = H5Aget_type(a);
    hssize_t count = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (!type_fits(ft, memtype))
        rg_h5_fail(h, RG_EFORMAT, "attribute '%s' does not have the expected type", name);
    else if (count != (hssize_t)(n ? n : 1))
        rg_h5_fail(h, RG_EFORMAT, "attribute '%s' holds %lld values, expected %zu", name,
                   (long long)count, n ? n : 1);
    else if (H5Aread(a, memtype, out) < 0)
        rg_h5_fail(h, RG_EFORMAT, "cannot read attribute '%s' (damaged file?)", name);
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    H5Aclose(a);
}

void rg_h5_read_dset(rg_h5 *h, hid_t loc, const char *name, hid_t memtype, size_t esize,
                     int rank, hsize_t dims[], void **out)
{
    *out = NULL;
    for (int i = 0; i < rank; i++)
        dims[i] = 0;
    hid_t d = open_dset(h, loc, name);
    if (d < 0)
        return;
    hid_t sp = H5Dget_space(d), ft = H5Dget_type(d);
    int r = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (!type_fits(ft, memtype)) {
        rg_h5_fail(h, RG_EFORMAT, "dataset '%s' does not have the expected type", name);
    } else if (r != rank) {
        rg_h5_fail(h, RG_EFORMAT, "dataset '%s' has %d dimensions, expected %d", name, r, rank);
    } else {
        H5Sget_simple_extent_dims(sp, dims, NULL);
        size_t count = 1;
        bool fits = true;
        for (int i = 0; i < rank; i++) {
            if (dims[i] && count > SIZE_MAX / esize / dims[i])
                fits = false;
            count *= (size_t)dims[i];
        }
        if (!fits) {
            rg_h5_fail(h, RG_EFORMAT, "dataset '%s' is implausibly large", name);
        } else if (count > 0) {
            *out = malloc(count * esize);
            if (!*out)
                rg_h5_fail(h, RG_ENOMEM, "out of memory reading '%s'", name);
            else if (H5Dread(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, *out) < 0) {
                rg_h5_fail(h, RG_EFORMAT, "cannot read dataset '%s' (damaged file?)", name);
                free(*out);
                *out = NULL;
            }
        }
    }
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
}
