/* regimen's subcommands. Each returns the process exit status: 0 ok, 2 bad input
 * (file, CLI or HDF5: the message names file, line and key), 1 a runtime failure. */
#ifndef REGIMEN_CLI_COMMANDS_H
#define REGIMEN_CLI_COMMANDS_H

typedef int (*rg_cmd_fn)(int argc, char **argv);

typedef struct {
    const char *name;
    rg_cmd_fn run;
    const char *usage;
} rg_command;

/* argv[0] is the subcommand name. One line per command; src/cli/cmd_<name>.c holds it. */
int rg_cmd_version(int argc, char **argv);
int rg_cmd_check(int argc, char **argv);

#endif
