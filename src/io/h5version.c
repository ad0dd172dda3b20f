/* The linked HDF5 library's version (h5version.h). */
#include "regimen/h5version.h"

#include <stdio.h>

#include <hdf5.h>

const char *rg_h5version_string(char *buf, size_t cap)
{
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(buf, cap, "%u.%u.%u", maj, min, rel);
    return buf;
}
