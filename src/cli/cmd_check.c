/* regimen check PROBLEM.cfg [--json]: validates a problem file and prints the resolved
 * model (defaults filled in, fold table, grid, regimens, optimisation settings).
 * regimen check --doc-keys: prints the generated key reference of docs/problem-format.md.
 * Warnings about valid regimens that cannot work (check_warn.c) go to stderr.
 * Exit 0 when the file is valid, 2 on bad input or usage (messages on stderr, nothing on
 * stdout), 1 when the file cannot be read or stdout cannot be written. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_print.h"
#include "commands.h"
#include "regimen/keys.h"
#include "regimen/problem.h"

/* ---------------------------------------------------------------- command */

static void check_usage(FILE *f)
{
    fprintf(f, "usage: regimen check PROBLEM.cfg [--json]\n");
}

int rg_cmd_check(int argc, char **argv)
{
    const char *file = NULL;
    bool json = false, doc_keys = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--doc-keys"))
            doc_keys = true;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            check_usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regimen check: unknown option '%s'\n", argv[i]);
            check_usage(stderr);
            return 2;
        } else if (file) {
            fprintf(stderr, "regimen check: more than one problem file ('%s', '%s')\n", file,
                    argv[i]);
            check_usage(stderr);
            return 2;
        } else
            file = argv[i];
    }
    if (doc_keys) {
        if (file || json) {
            fprintf(stderr, "regimen check: --doc-keys takes no other argument\n");
            return 2;
        }
        if (rg_keys_write_markdown(stdout) != 0 || fflush(stdout) != 0) {
            fprintf(stderr, "regimen check: cannot write to standard output\n");
            return 1;
        }
        return 0;
    }
    if (!file) {
        fprintf(stderr, "regimen check: missing problem file\n");
        check_usage(stderr);
        return 2;
    }
    rg_problem *p = NULL;
    int code = rg_cli_load_problem("check", file, &p);
    if (code != 0)
        return code;
    rg_check_warn_phantoms(stderr, file, p);
    rg_check_warn_adaptive(stderr, file, p);
    if (json)
        rg_check_print_json(stdout, p);
    else
        rg_check_print_text(stdout, p);
    rg_problem_free(p);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "regimen check: cannot write to standard output\n");
        return 1;
    }
    return 0;
}
