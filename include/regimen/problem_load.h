/* regimen: the problem loader, problem file text -> rg_problem (io layer, src/io/).
 *
 * The loader checks a file in two passes (structure against the key table of
 * regimen/keys.h, then meaning) and reports every error it finds, not only the first. */
#ifndef REGIMEN_PROBLEM_LOAD_H
#define REGIMEN_PROBLEM_LOAD_H

#include "regimen/problem.h"
#include "regimen/status.h"

/* Reads and checks a problem file. On success returns RG_OK and *out (caller frees with
 * rg_problem_free). On failure returns RG_EINVAL (or RG_EIO when the file cannot be read),
 * *out is NULL, and diag holds every error found, each naming file, line and key path,
 * e.g. "breast.cfg:42: clones.[2].growth_rate: 60 is above 50 per day". diag may be NULL
 * when the messages are not wanted. The key reference is docs/problem-format.md (generated
 * from the key table of regimen/keys.h). p->path is `path`, p->text the whole file. */
int rg_problem_load(const char *path, rg_problem **out, rg_diag *diag);

/* The same from text in memory; `name` stands for the file name in messages and is stored
 * as p->path (MPI workers pass the master's path with the broadcast text). */
int rg_problem_load_string(const char *text, const char *name, rg_problem **out, rg_diag *diag);

/* The same, with the cohort's patients (parameter paths, names, values) taken from
 * `patients` instead of the cohort group's source (inline list, table file or sample), as a
 * results file or checkpoint stores them, so that reading a run back never needs its table
 * file; every patient is checked as when the file was first loaded. The group's other keys
 * (aggregates, feasible fraction) come from the text. patients == NULL is
 * rg_problem_load_string; a text without a cohort group ignores it. */
int rg_problem_load_string_cohort(const char *text, const char *name, const rg_cohort *patients,
                                  rg_problem **out, rg_diag *diag);

#endif
