/* `regimen help CMD` and `regimen CMD --help`: every command and every option, to stdout.
 * The same texts are in docs/regimen.1 (the man page). */
#include <stdio.h>
#include <string.h>

#include "help.h"

typedef struct {
    const char *name;
    const char *text;
} help_entry;

static const help_entry entries[] = {
    {"version", "usage: regimen version   (also: regimen --version, regimen -V)\n"
                "\n"
                "Prints regimen's version and those of GSL, HDF5, libconfig and MPI.\n"},
    {"check", "usage: regimen check PROBLEM.cfg [--json]\n"
              "\n"
              "Validates a problem file and prints the resolved model: defaults filled in,\n"
              "the clone x drug fold table, the time grid. Exit 2 with FILE:LINE: KEY\n"
              "messages when the file is wrong. A valid file may draw warnings on stderr\n"
              "(exit 0), e.g. an adaptive regimen that cannot resume before progression.\n"
              "\n"
              "  --json           the resolved model as JSON on stdout\n"},
    {"simulate",
     "usage: regimen simulate PROBLEM.cfg [--regimen NAME | --from RESULTS.h5 --member N]\n"
     "                        [--stochastic N [--seed S]] [--csv FILE] [--force]\n"
     "\n"
     "Runs one standard regimen of the problem and prints its summary: TTP, burdens,\n"
     "resistance, doses, neutrophil nadir and broken constraints.\n"
     "\n"
     "  --regimen NAME   the regimen to run (default: the first of the file)\n"
     "  --from RESULTS.h5 --member N\n"
     "                   run front member N of a results file instead, as a `fixed`\n"
     "                   regimen of its schedule (regimen show --as-regimen);\n"
     "                   the problem must share the run's drugs and decision_days\n"
     "  --stochastic N   also N replicates (1 to 10000000) of the stochastic mode\n"
     "                   (docs/model.md section 12): P(de novo resistant lineage alive at\n"
     "                   t_end) beside resistance_probability, P(cure) and the TTP\n"
     "                   quartiles, with 95% and 99% Wilson intervals (problems in cell\n"
     "                   counts only: extinction_cells > 0)\n"
     "  --seed S         the replicates' seed (default 0); the same seed, the same replicates\n"
     "  --csv FILE       the per-visit trajectory as CSV (- for stdout); with --stochastic,\n"
     "                   one row per replicate instead\n"
     "  --force          replace an existing FILE\n"},
    {"compare",
     "usage: regimen compare PROBLEM.cfg [--csv FILE] [--trajectories DIR] [--force]\n"
     "\n"
     "Runs every standard regimen of the problem and prints them side by side.\n"
     "\n"
     "  --csv FILE       the same rows as CSV (- for stdout, instead of the table)\n"
     "  --trajectories DIR\n"
     "                   one per-visit CSV per regimen in DIR (created if missing)\n"
     "  --force          replace existing output files\n"
     "\n"
     "On a problem with a cohort group (a virtual trial): per regimen the median TTP\n"
     "with its interquartile range, the restricted mean TTP, the fraction\n"
     "progression-free at the horizon and the median resistance probability.\n"
     "  --csv FILE       one row per regimen (the cohort-summary columns)\n"
     "  --patients FILE  one row per (regimen, patient): the CSV columns above with\n"
     "                   patient after regimen\n"
     "  --km FILE        Kaplan-Meier curves: regimen,t,survival,at_risk,events\n"},
    {"optimize",
     "usage: regimen optimize PROBLEM.cfg [OPTIONS]\n"
     "\n"
     "The multi-objective optimisation (NSGA-II). Under mpirun (or srun) rank 0 is the\n"
     "master and the other ranks evaluate; the same seed gives the same front on any\n"
     "number of ranks. Progress goes to stderr.\n"
     "\n"
     "  --seed N         random seed (default: optimize.seed of the problem)\n"
     "  --generations N  generations to run (default: optimize.generations)\n"
     "  --population N   population size, at least 4 (default: optimize.population)\n"
     "  --front FILE     the run's front (its archive of every feasible non-dominated\n"
     "                   schedule evaluated) as CSV (- for stdout)\n"
     "  --out FILE.h5    the whole run as HDF5 (docs/results-format.md)\n"
     "  --force          replace existing output files\n"
     "  --checkpoint FILE.h5\n"
     "                   write a checkpoint there (on SIGTERM, SIGUSR1, SIGINT, and\n"
     "                   with --checkpoint-every)\n"
     "  --checkpoint-every N\n"
     "                   a checkpoint every N generations\n"
     "  --resume FILE.h5 continue from a checkpoint\n"
     "  --chunk N        genomes per message to a worker (patients of a schedule on a\n"
     "                   cohort problem; default: sized automatically)\n"
     "  --history-every N\n"
     "                   a history row every N generations and the last (default:\n"
     "                   optimize.history_every; automatic: every generation up to 1000)\n"
     "  --log-every N    a progress line every N generations (default: about once a\n"
     "                   second; always generation 0 and the last)\n"
     "  --quiet          no progress lines\n"
     "\n"
     "Exit status: 0 done, 2 bad input, 1 failure; stopped by SIGTERM, SIGINT or SIGUSR1\n"
     "after writing the checkpoint: 128 + the signal's number (143, 130, 138), with the\n"
     "command that resumes the run on stderr.\n"},
    {"export",
     "usage: regimen export RESULTS.h5 [--what TABLE] [--format csv|json] [-o FILE] "
     "[--force]\n"
     "\n"
     "Tables of a results file for plotting tools.\n"
     "\n"
     "  --what TABLE     front (default), history, regimens, trajectories,\n"
     "                   calendar (the delivered doses: member, day, drug, fraction),\n"
     "                   cohort (cohort problems: each run's record for each patient)\n"
     "                   or km (cohort problems: the Kaplan-Meier progression-free curve\n"
     "                   of each run, as compare --km: source, t, survival, at_risk,\n"
     "                   events; source as in cohort, member:N or regimen:NAME)\n"
     "  --format F       csv or json (default: json when FILE ends in .json)\n"
     "  -o, --output FILE\n"
     "                   write there (default and -: stdout)\n"
     "  --force          replace an existing FILE\n"},
    {"info", "usage: regimen info RESULTS.h5\n"
             "\n"
             "What a results or checkpoint file holds: the problem, the run, the front, and\n"
             "each standard regimen against the evolved member that dominates it.\n"},
    {"show", "usage: regimen show RESULTS.h5 --member N [--as-regimen NAME]\n"
             "\n"
             "One front member (numbered as in export --what front): its objectives with\n"
             "units, feasibility, rule parameters (adaptive_rule runs) and the calendar of\n"
             "the doses its evaluation delivered (day: drug fraction of MTD).\n"
             "\n"
             "  --member N       the member to show (0 = the first row of the front)\n"
             "  --as-regimen NAME\n"
             "                   print instead a `fixed` regimen named NAME with its\n"
             "                   schedule (an adaptive rule: the doses it delivered), to\n"
             "                   paste into the regimens list of a problem file (regimen\n"
             "                   simulate PROBLEM --from RESULTS.h5 --member N runs it\n"
             "                   without editing the file)\n"},
    {"report",
     "usage: regimen report RESULTS.h5 [-o FILE] [--force]\n"
     "\n"
     "One self-contained HTML page of a run, to open in any browser (no network, no\n"
     "server; docs/report.md): the problem and the command, the front as a scatter of any\n"
     "two objectives with the standard regimens and the fair summary, each member's and\n"
     "regimen's dose calendar and burden curves (click one; #member=N in the address opens\n"
     "it), convergence, and with a cohort the Kaplan-Meier curves.\n"
     "\n"
     "  -o, --output FILE\n"
     "                   write there (- for stdout; default: RESULTS with .h5 replaced\n"
     "                   by .html)\n"
     "  --force          replace an existing FILE\n"},
    {"merge", "usage: regimen merge -o MERGED.csv [--format csv|json] [--force] RESULTS.h5...\n"
              "\n"
              "The non-dominated front of several runs of one problem (seeds, array tasks).\n"
              "\n"
              "  -o, --output FILE\n"
              "                   write there (- for stdout)\n"
              "  --format F       csv or json (default: json when FILE ends in .json)\n"
              "  --force          replace an existing FILE\n"},
};

const char *rg_cli_help(const char *command)
{
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
        if (!strcmp(entries[i].name, command))
            return entries[i].text;
    return NULL;
}

void rg_cli_usage(FILE *f)
{
    fprintf(f, "usage: regimen COMMAND [ARGS]\n"
               "       regimen --help | --version | help COMMAND | COMMAND --help\n"
               "\ncommands:\n");
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        const char *t = entries[i].text + strlen("usage: regimen ");
        fprintf(f, "  regimen %.*s\n", (int)strcspn(t, "\n"), t);
    }
}
