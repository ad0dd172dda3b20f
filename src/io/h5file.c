/* HDF5 files as wholes (see h5util.h): built in memory, sealed and moved into place; opened
 * for reading only once their seal holds (seal.h). */
#include "h5util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regimen/seal.h"

hid_t rg_h5_create_tmp(rg_h5 *h, char tmp[RG_SAFEFILE_PATH_MAX])
{
    if (rg_safefile_tmpname(h->file, tmp) != RG_OK) {
        rg_h5_fail(h, RG_EINVAL, "path too long");
        return H5I_INVALID_HID;
    }
    /* the temporary name must be creatable before the file is built (a missing or read-only
     * directory fails here); stale temporaries of dead processes go (safefile.h) */
    rg_safefile_sweep(h->file);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        rg_h5_fail(h, RG_EIO, "cannot create the temporary file %s: %s", tmp, strerror(errno));
        return H5I_INVALID_HID;
    }
    close(fd);
    unlink(tmp);
    /* The file is built in memory (core driver, no backing store) and written by
     * write_image: libhdf5 never writes to the disk, so a full disk is an ordinary write
     * error here instead of a failed H5Fclose that libhdf5 retries, and crashes in, at exit.
     * The user block receives the seal (seal.h). */
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t f = fcpl >= 0 && fapl >= 0 && H5Pset_userblock(fcpl, RG_SEAL_BLOCK) >= 0 &&
                      H5Pset_fapl_core(fapl, (size_t)1 << 20, 0) >= 0
                  ? H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl)
                  : H5I_INVALID_HID;
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (f < 0)
        rg_h5_fail(h, RG_EIO, "cannot create the file in memory");
    return f;
}

/* Writes the sealed image to a new file tmp; on failure removes it and records why (a full
 * disk or a file size limit: RG_ENOSPC). */
static void write_image(rg_h5 *h, const char *tmp, const unsigned char *img, size_t size)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        rg_h5_fail(h, RG_EIO, "cannot create the temporary file %s: %s", tmp, strerror(errno));
        return;
    }
    size_t done = 0;
    int e = 0;
    while (done < size && !e) {
        ssize_t k = write(fd, img + done, size - done);
        if (k > 0)
            done += (size_t)k;
        else if (k < 0 && errno != EINTR)
            e = errno;
        else if (k == 0)
            e = EIO;
    }
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e)
        return;
    unlink(tmp);
    rg_h5_fail(h, e == ENOSPC || e == EFBIG || e == EDQUOT ? RG_ENOSPC : RG_EIO,
               "cannot write (%zu of %zu bytes written): %s; nothing was replaced", done, size,
               strerror(e));
}

int rg_h5_commit_tmp(rg_h5 *h, hid_t f, const char *tmp, bool force)
{
    if (h->status == RG_OK && H5Fflush(f, H5F_SCOPE_GLOBAL) < 0)
        rg_h5_fail(h, RG_EIO, "cannot flush the file in memory");
    /* the image starts at HDF5's base address, after the user block */
    ssize_t size = h->status == RG_OK ? H5Fget_file_image(f, NULL, 0) : -1;
    unsigned char *img = size > 0 ? malloc((size_t)size + RG_SEAL_BLOCK) : NULL;
    if (h->status == RG_OK && !img)
        rg_h5_fail(h, size < 0 ? RG_EIO : RG_ENOMEM, "cannot get the file image");
    if (img && H5Fget_file_image(f, img + RG_SEAL_BLOCK, (size_t)size) != size)
        rg_h5_fail(h, RG_EIO, "cannot get the file image");
    if (H5Fclose(f) < 0)
        rg_h5_fail(h, RG_EIO, "cannot close the file in memory");
    if (h->status == RG_OK) {
        size_t total = (size_t)size + RG_SEAL_BLOCK;
        rg_seal_image(img, total, RG_RESULTS_FORMAT_VERSION);
        write_image(h, tmp, img, total);
    }
    free(img);
    if (h->status == RG_OK)
        h->status = rg_safefile_commit(tmp, h->file, force, h->diag);
    return h->status;
}

hid_t rg_h5_open_file(rg_h5 *h, const char *path)
{
    rg_h5_quiet();
    struct stat st;
    if (stat(path, &st) != 0) {
        rg_h5_fail(h, RG_EIO, "cannot open: %s", strerror(errno));
        return H5I_INVALID_HID;
    }
    if (!S_ISREG(st.st_mode)) {
        rg_h5_fail(h, RG_EFORMAT, "not a regular file");
        return H5I_INVALID_HID;
    }
    char why[RG_DIAG_MSG];
    int sealed = rg_seal_check(path, RG_RESULTS_FORMAT_VERSION, why, sizeof why);
    if (sealed != RG_OK) {
        rg_h5_fail(h, sealed, "%s", why);
        return H5I_INVALID_HID;
    }
    htri_t is = H5Fis_hdf5(path);
    if (is <= 0) {
        rg_h5_fail(h, RG_EFORMAT, "not an HDF5 file (or its header is damaged)");
        return H5I_INVALID_HID;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        rg_h5_fail(h, RG_EFORMAT, "damaged or truncated HDF5 file (HDF5 cannot open it)");
    return f;
}
