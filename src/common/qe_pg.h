/*
 * qe_pg.h: small helpers shared by the fmgr glue (*_pg.c) files.
 */
#ifndef QE_PG_H
#define QE_PG_H

#include "postgres.h"

#include <math.h>

/*
 * Reject NaN and infinite measurements with a message that names the
 * argument.  NULLs never reach here (callers skip them, as avg does).
 */
static inline void
qe_check_finite(double v, const char *what)
{
	if (unlikely(isnan(v) || isinf(v)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite number, got %s", what,
						isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity")),
				 errhint("Filter out or repair the row, e.g. WHERE %s <> 'NaN' AND %s NOT IN ('Infinity', '-Infinity').",
						 what, what)));
}

#endif
