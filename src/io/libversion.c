/* The versions of io's libraries (libversion.h). */
#include "regimen/libversion.h"

#include <stdio.h>

#include <hdf5.h>
#include <libconfig.h>

const char *rg_libversion_hdf5(char *buf, size_t cap)
{
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(buf, cap, "%u.%u.%u", maj, min, rel);
    return buf;
}

const char *rg_libversion_libconfig(char *buf, size_t cap)
{
    snprintf(buf, cap, "%d.%d", LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR);
    return buf;
}
