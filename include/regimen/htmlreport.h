/* regimen: `regimen report`, one self-contained HTML page of a run, to look at rather than
 * read (docs/report.md).
 *
 * The page holds everything it shows: inline SVG figures drawn here (the front as a scatter
 * of any two objectives with the third as colour and the standard regimens as labelled
 * squares, the fair summary, convergence, Kaplan-Meier curves of a cohort), an inline
 * stylesheet with a print version, and a small plain script that draws the selected member's
 * or regimen's dose calendar and burden curves from a JSON block in the page. Nothing refers
 * to a file or address outside the page. The markup is XHTML-compatible: a strict XML parser
 * reads it. */
#ifndef REGIMEN_HTMLREPORT_H
#define REGIMEN_HTMLREPORT_H

#include <stdio.h>

#include "regimen/problem.h"
#include "regimen/results.h"
#include "regimen/status.h"

/* Writes the page of results r (read from `source`, the name the page shows) to f. p is the
 * run's problem (loaded from r->problem_text; may be NULL when it no longer loads, and the
 * page then leaves out the model's description and the progression threshold). Returns RG_OK,
 * RG_ENOMEM, or RG_EIO when writing to f failed. */
int rg_htmlreport_write(FILE *f, const rg_results *r, const rg_problem *p, const char *source);

/* Simulates what the page draws when r lacks it: the trajectories of the front members and
 * the standard regimens (rg_results_fill_model, the same path a run's end takes) when r has
 * fewer trajectories than front members and p is a tumour problem. Returns RG_OK (nothing to
 * do, or done), or rg_results_fill_model's error with diag filled. */
int rg_htmlreport_complete(rg_results *r, const rg_problem *p, rg_diag *diag);

#endif
