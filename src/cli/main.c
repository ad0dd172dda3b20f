/* regimen: command-line entry point; dispatches to one subcommand per file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "regimen/parallel.h"

static const rg_command commands[] = {
    {"version", rg_cmd_version, "version"},
    {"check", rg_cmd_check, "check PROBLEM.cfg [--json]"},
    {"simulate", rg_cmd_simulate,
     "simulate PROBLEM.cfg [--regimen NAME] [--csv FILE] [--force]"},
    {"compare", rg_cmd_compare, "compare PROBLEM.cfg [--csv FILE] [--trajectories DIR]"},
    {"optimize", rg_cmd_optimize,
     "optimize PROBLEM.cfg [--seed N] [--generations N] [--population N] [--front FILE.csv] "
     "[--chunk N] [--quiet] [--out FILE.h5] [--force] [--checkpoint FILE.h5] "
     "[--checkpoint-every N] [--resume FILE.h5]"},
    {"export", rg_cmd_export,
     "export RESULTS.h5 --what front|history|regimens|trajectories [--format csv|json] [-o "
     "FILE]"},
    {"info", rg_cmd_info, "info RESULTS.h5"},
    {"merge", rg_cmd_merge, "merge -o MERGED.csv RESULTS.h5..."},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: regimen COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  regimen %s\n", commands[i].usage);
}

/* optimize under an MPI launcher: the parallel layer's start-up and shutdown are here
 * (docs/style.md rule 11); everything else of MPI is in src/parallel. Input errors stop every
 * rank together (the farm's collective start-up check) with exit status 2;
 * rg_parallel_abort only when a rank cannot go on while others may wait for it. */
static int optimize_mpi(int *argc, char ***argv)
{
    if (rg_parallel_init(argc, argv) != RG_OK) {
        char v[32];
        fprintf(stderr, "regimen: MPI could not start (this build: %s)\n",
                rg_parallel_version(v, sizeof v));
        return 1;
    }
    rg_comm *world = NULL;
    if (rg_parallel_world(&world) != RG_OK) {
        fprintf(stderr, "regimen: out of memory\n");
        rg_parallel_abort(NULL, 1);
    }
    int abort_job = 0;
    int code = rg_cmd_optimize_comm(*argc - 1, *argv + 1, world, &abort_job);
    if (abort_job)
        rg_parallel_abort(world, code ? code : 1);
    rg_parallel_comm_free(world);
    rg_parallel_finalize();
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
    if (!strcmp(argv[1], "optimize") && rg_parallel_launched())
        return optimize_mpi(&argc, &argv);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "regimen: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
