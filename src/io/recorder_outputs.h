/* Internal: the checks of a run's outputs before any work (recorder.c; docs/results-format.md,
 * "Outputs"). */
#ifndef REGIMEN_IO_RECORDER_OUTPUTS_H
#define REGIMEN_IO_RECORDER_OUTPUTS_H

#include "regimen/recorder.h"
#include "regimen/status.h"

/* The results file out, the checkpoint ckpt and o->front: two naming one file (RG_EINVAL),
 * an existing results file or checkpoint without o->force (RG_EEXIST; the checkpoint being
 * resumed excepted), an output that cannot be created (RG_EINVAL). diag names the file. */
int rg_recorder_check_outputs(const rg_recorder_options *o, const char *out, const char *ckpt,
                              rg_diag *diag);

#endif
