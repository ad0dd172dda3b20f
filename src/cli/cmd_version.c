/* regimen version: the versions of regimen and of the libraries it was built with. */
#include <stdio.h>

#include <gsl/gsl_version.h>

#include "commands.h"
#include "regimen/libversion.h"
#include "regimen/parallel.h"

int rg_cmd_version(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "regimen version: unexpected argument '%s'\nusage: regimen version\n",
                argv[1]);
        return 2;
    }
    char h5[32], cfg[32], mpi[32];
    printf("regimen %s (GSL %s, HDF5 %s, libconfig %s, %s)\n", RG_VERSION, GSL_VERSION,
           rg_libversion_hdf5(h5, sizeof h5), rg_libversion_libconfig(cfg, sizeof cfg),
           rg_parallel_version(mpi, sizeof mpi));
    return 0;
}
