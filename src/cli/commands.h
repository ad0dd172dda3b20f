/* regimen's subcommands. Each returns the process exit status: 0 ok, 2 bad input
 * (file, CLI or HDF5: the message names file, line and key), 1 a runtime failure. */
#ifndef REGIMEN_CLI_COMMANDS_H
#define REGIMEN_CLI_COMMANDS_H

#include "regimen/parallel.h"
#include "regimen/problem.h"

typedef int (*rg_cmd_fn)(int argc, char **argv);

typedef struct {
    const char *name;
    rg_cmd_fn run;
} rg_command;

/* argv[0] is the subcommand name. One line per command; src/cli/cmd_<name>.c holds it. */
int rg_cmd_version(int argc, char **argv);
int rg_cmd_optimize(int argc, char **argv);
int rg_cmd_check(int argc, char **argv);
int rg_cmd_simulate(int argc, char **argv);
int rg_cmd_compare(int argc, char **argv);
int rg_cmd_export(int argc, char **argv);
int rg_cmd_info(int argc, char **argv);
int rg_cmd_merge(int argc, char **argv);
int rg_cmd_show(int argc, char **argv);
int rg_cmd_report(int argc, char **argv);

/* optimize on a communicator of the parallel layer (main calls it under mpirun with the
 * job's world; rg_cmd_optimize is this on NULL, in process). Every rank calls it; rank 0
 * runs the GA and reports, the others evaluate. *abort_job is set when a rank cannot go on
 * and the others may be waiting for it: main then calls rg_parallel_abort instead of
 * rg_parallel_finalize. */
int rg_cmd_optimize_comm(int argc, char **argv, const rg_comm *comm, int *abort_job);

/* Loads a problem file for subcommand cmd (src/cli/cli_problem.c). On failure prints the
 * loader's messages (or "FILE: reason" when it gave none; "regimen CMD: out of memory")
 * and returns the exit status: 2 bad input (including a file that cannot be opened), 1 a
 * runtime failure. Returns 0 with *out loaded (caller frees) on success. */
int rg_cli_load_problem(const char *cmd, const char *file, rg_problem **out);

#endif
