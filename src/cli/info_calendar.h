/* Internal to the CLI: a front member's delivered doses as a calendar (info_calendar.c). */
#ifndef REGIMEN_CLI_INFO_CALENDAR_H
#define REGIMEN_CLI_INFO_CALENDAR_H

#include <stdio.h>

#include "regimen/results.h"

/* Prints on f the calendar of front member i: one line per day with a delivered dose, each
 * drug's fraction of MTD (a continuous drug's run: "for N days"). Nothing when r holds no
 * delivered doses. Returns RG_OK or RG_ENOMEM. */
int rg_info_print_calendar(FILE *f, const rg_results *r, size_t i);

#endif
