/* regimen: command-line entry point; dispatches to one subcommand per file. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const rg_command commands[] = {
    {"version", rg_cmd_version, "version"},
    {"check", rg_cmd_check, "check PROBLEM.cfg [--json]"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: regimen COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  regimen %s\n", commands[i].usage);
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
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "regimen: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
