#include <stdio.h>

#include <gsl/gsl_version.h>
#include <libconfig.h>

#include "commands.h"
#include "regimen/h5version.h"
#include "regimen/parallel.h"

int rg_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char h5[32], mpi[32];
    printf("regimen %s (GSL %s, HDF5 %s, libconfig %d.%d, %s)\n", RG_VERSION, GSL_VERSION,
           rg_h5version_string(h5, sizeof h5), LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR,
           rg_parallel_version(mpi, sizeof mpi));
    return 0;
}
