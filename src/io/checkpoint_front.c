/* A checkpoint read as results (rg_results_read): its archive, the run's front so far,
 * becomes the front, simulated as at the end of a run (standard regimens, trajectories,
 * delivered doses; rg_results_fill_front), so that info, show, export and merge give the
 * current front of a run that is still going (docs/results-format.md, "Checkpoints"). */
#include <stdlib.h>
#include <string.h>

#include "regimen/checkpoint.h"
#include "regimen/encoding.h"
#include "regimen/problem_load.h"
#include "regimen/recorder.h"
#include "regimen/results.h"

int rg_checkpoint_fill_front(rg_results *r, const char *path, rg_diag *diag)
{
    rg_checkpoint *c = NULL;
    int rc = rg_checkpoint_read(path, &c, diag);
    if (rc != RG_OK)
        return rc;
    rg_problem *p = NULL;
    rg_encoding *enc = NULL;
    /* the problem the run read, from the file itself (its cohort's patients as stored, so no
     * table file is read); when it does not load (a checkpoint written before the patients
     * were stored, whose table is not beside it) the front keeps its recorded objectives and
     * its doses are NaN */
    rg_diag quiet;
    rg_diag_init(&quiet);
    if (rg_results_load_problem(r, path, &p, &quiet) == RG_OK &&
        !(enc = rg_encoding_alloc(p, &quiet))) {
        rg_problem_free(p);
        p = NULL;
    }
    if (enc && c->n_archive > 0 && enc->length != r->genome_length) {
        rg_diag_add(diag, "%s: its genomes have %zu genes, its problem's encoding %zu", path,
                    r->genome_length, enc->length);
        rc = RG_EFORMAT;
    }
    if (rc == RG_OK)
        rc = rg_results_fill_front(r, p, enc, c->n_archive, c->archive_genomes,
                                   c->archive_evals, diag);
    rg_encoding_free(enc);
    rg_problem_free(p);
    rg_checkpoint_free(c);
    return rc;
}
