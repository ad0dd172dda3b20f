/* regimen: the version of the HDF5 library regimen's files are written with (io keeps HDF5
 * to itself; `regimen version` prints this). */
#ifndef REGIMEN_H5VERSION_H
#define REGIMEN_H5VERSION_H

#include <stddef.h>

/* Writes the linked HDF5 library's version, "1.10.7" say, into buf (cap bytes, truncated).
 * Returns buf. */
const char *rg_h5version_string(char *buf, size_t cap);

#endif
