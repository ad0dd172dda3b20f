/* regimen: command-line entry point; dispatches to one subcommand per file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "commands.h"

static const rg_command commands[] = {
    {"version", rg_cmd_version, "version"},
    {"check", rg_cmd_check, "check PROBLEM.cfg [--json]"},
    {"simulate", rg_cmd_simulate, "simulate PROBLEM.cfg [--regimen NAME] [--csv FILE] [--force]"},
    {"compare", rg_cmd_compare, "compare PROBLEM.cfg [--csv FILE] [--trajectories DIR]"},
    {"optimize", rg_cmd_optimize,
     "optimize PROBLEM.cfg [--seed N] [--generations N] [--population N] [--front FILE.csv] "
     "[--chunk N] [--quiet] [--out FILE.h5] [--force] [--checkpoint FILE.h5] "
     "[--checkpoint-every N] [--resume FILE.h5]"},
    {"export", rg_cmd_export,
     "export RESULTS.h5 --what front|history|regimens|trajectories [--format csv|json] [-o FILE]"},
    {"info", rg_cmd_info, "info RESULTS.h5"},
    {"merge", rg_cmd_merge, "merge -o MERGED.csv RESULTS.h5..."},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: regimen COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  regimen %s\n", commands[i].usage);
}

/* Started by an MPI launcher (mpirun/mpiexec of Open MPI or MPICH, srun --mpi=pmix or
 * pmi2)? Only then is MPI initialised: a plain `regimen optimize` runs in process with no
 * MPI start-up at all (no singleton MPI_Init). */
static int launched_by_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK") ||
           getenv("PMI_SIZE");
}

/* optimize under MPI: MPI_Init/MPI_Finalize live here (style.md rule 11); every other MPI
 * call is in src/parallel/farm.c. Input errors stop every rank together (the farm's
 * collective start-up check) with exit status 2; MPI_Abort only when a rank cannot go on
 * while others may wait for it. */
static int optimize_mpi(int *argc, char ***argv)
{
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SINGLE, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "regimen: MPI_Init failed\n");
        return 1;
    }
    int abort_job = 0;
    int code = rg_cmd_optimize_mpi(*argc - 1, *argv + 1, MPI_COMM_WORLD, &abort_job);
    if (abort_job) {
        fflush(stdout);
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, code ? code : 1);
    }
    MPI_Finalize();
    return code;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "optimize") && launched_by_mpi())
        return optimize_mpi(&argc, &argv);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "regimen: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
