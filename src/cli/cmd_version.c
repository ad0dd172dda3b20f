#include <stdio.h>

#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <libconfig.h>
#include <mpi.h>

#include "commands.h"

int rg_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    printf("regimen %s (GSL %s, HDF5 %u.%u.%u, libconfig %d.%d, MPI %d.%d)\n", RG_VERSION,
           GSL_VERSION, maj, min, rel, LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR, MPI_VERSION,
           MPI_SUBVERSION);
    return 0;
}
