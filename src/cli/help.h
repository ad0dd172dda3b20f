/* The help texts of the regimen commands (help.c). */
#ifndef REGIMEN_CLI_HELP_H
#define REGIMEN_CLI_HELP_H

#include <stdio.h>

/* The full help of one command (every option), or NULL when there is no such command. */
const char *rg_cli_help(const char *command);

/* One line per command, for `regimen --help` and for a wrong command line. */
void rg_cli_usage(FILE *f);

#endif
