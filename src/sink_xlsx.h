/*
 * sink_xlsx.h: the Excel workbook report, --report xlsx:FILE (reflint(1),
 * Output): sheets Rows, Problems and Summary, written with libxlsxwriter.
 * Included by the table of report formats (sink.c) and the tests; not
 * installed.
 *
 * Ownership: as every sink (sink.h).  The workbook is built in memory and
 * in one temporary file while the run goes on, and written at end: into
 * the sink's outfile when it has one (the caller commits it), or else to
 * its path through an outfile of its own.  fini removes the temporary file.
 */
#ifndef RL_SINK_XLSX_H
#define RL_SINK_XLSX_H

#include "sink.h"

extern const rl_sink_class rl_sink_xlsx;

/* Excel's limits, which the workbook keeps to (and says where it cut). */
#define RL_XLSX_MAX_ROWS  1048576UL     /* rows of a sheet */
#define RL_XLSX_MAX_COLS  16384UL       /* columns of a sheet */
#define RL_XLSX_MAX_CELL  32767UL       /* UTF-16 units of a cell's text */

#endif /* RL_SINK_XLSX_H */
