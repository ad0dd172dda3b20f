/* regimen: command-line entry point; dispatches to one subcommand per file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "help.h"
#include "regimen/parallel.h"

static const rg_command commands[] = {
    {"version", rg_cmd_version}, {"check", rg_cmd_check},       {"simulate", rg_cmd_simulate},
    {"compare", rg_cmd_compare}, {"optimize", rg_cmd_optimize}, {"export", rg_cmd_export},
    {"info", rg_cmd_info},       {"merge", rg_cmd_merge},       {"show", rg_cmd_show},
    {"report", rg_cmd_report},
};

static const rg_command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(name, commands[i].name))
            return &commands[i];
    return NULL;
}

/* GNU long options take their value either way: "--opt=value" becomes "--opt" "value".
 * Returns a new argv (NULL-terminated; the strings point into the old one or into
 * storage), or NULL when out of memory. */
static char **split_equals(int argc, char **argv, int *new_argc, char **storage)
{
    size_t extra = 0, bytes = 0;
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "--", 2) && strchr(argv[i], '=')) {
            extra++;
            bytes += strlen(argv[i]) + 1;
        }
    char **out = malloc(((size_t)argc + extra + 1) * sizeof *out);
    char *buf = malloc(bytes + 1);
    if (!out || !buf) {
        free(out);
        free(buf);
        return NULL;
    }
    int n = 0;
    char *b = buf;
    for (int i = 0; i < argc; i++) {
        char *eq = i > 0 && !strncmp(argv[i], "--", 2) ? strchr(argv[i], '=') : NULL;
        if (!eq) {
            out[n++] = argv[i];
            continue;
        }
        size_t len = (size_t)(eq - argv[i]);
        memcpy(b, argv[i], len);
        b[len] = '\0';
        out[n++] = b;
        out[n++] = eq + 1;
        b += len + 1;
    }
    out[n] = NULL;
    *new_argc = n;
    *storage = buf;
    return out;
}

/* --help / -h and --version / -V anywhere after a command: its help, or the version, on
 * stdout. Returns -1 when neither is there. */
static int help_or_version(int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(rg_cli_help(argv[1]), stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
            char *args[] = {"version", NULL};
            return rg_cmd_version(1, args);
        }
    }
    return -1;
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

/* Everything before the command runs: help, version, the command's own help. Returns -1
 * when the command is to run. */
static int before_command(int argc, char **argv)
{
    if (argc < 2) {
        rg_cli_usage(stderr);
        return 2;
    }
    const char *a = argv[1];
    if (!strcmp(a, "-h") || !strcmp(a, "--help") || (!strcmp(a, "help") && argc == 2)) {
        rg_cli_usage(stdout);
        return 0;
    }
    if (!strcmp(a, "help")) {
        const char *text = argc == 3 ? rg_cli_help(argv[2]) : NULL;
        if (!text) {
            fprintf(stderr, "regimen help: %s\n",
                    argc == 3 ? "no such command" : "one command at a time");
            rg_cli_usage(stderr);
            return 2;
        }
        fputs(text, stdout);
        return 0;
    }
    if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
        char *args[] = {"version", NULL};
        return rg_cmd_version(1, args);
    }
    if (!find_command(a)) {
        fprintf(stderr, "regimen: unknown command '%s'\n", a);
        rg_cli_usage(stderr);
        return 2;
    }
    return help_or_version(argc, argv);
}

int main(int argc, char **argv)
{
    char *storage = NULL;
    int n = 0;
    char **args = split_equals(argc, argv, &n, &storage);
    if (!args) {
        fprintf(stderr, "regimen: out of memory\n");
        return 1;
    }
    char **owned = args; /* MPI_Init may hand back another argv */
    int code = before_command(n, args);
    if (code < 0) {
        if (!strcmp(args[1], "optimize") && rg_parallel_launched())
            code = optimize_mpi(&n, &args);
        else
            code = find_command(args[1])->run(n - 1, args + 1);
    }
    free(owned);
    free(storage);
    return code;
}
