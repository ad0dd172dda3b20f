/* Internal to the io layer: the tables of export.h built outside export.c. */
#ifndef REGIMEN_IO_EXPORT_INTERNAL_H
#define REGIMEN_IO_EXPORT_INTERNAL_H

#include "regimen/export.h"

/* The trajectories table of a results record (export_traj.c). RG_ENOMEM. */
int rg_export_trajectories(const rg_results *r, rg_table **out);
/* The per-patient table of a cohort run (export.c's objective columns). RG_ENOMEM. */
int rg_export_cohort(const rg_results *r, rg_table **out);

/* The km table of a cohort run (export_km.c). RG_EINVAL (message in diag naming `file`)
 * when r holds no cohort or no ttp objective; RG_ENOMEM. */
int rg_export_km(const rg_results *r, const char *file, rg_table **out, rg_diag *diag);

#endif
