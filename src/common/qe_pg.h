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

/*
 * The OID of a relation of schema qe (a table or sequence the glue writes
 * directly), looked up once and kept until pg_class changes: any change
 * invalidates every cached OID, so a dropped and re-created extension is
 * found again.  Raises an error if the relation is missing.  Use the result
 * as a value for the rest of the operation: opening a relation processes
 * invalidations, which may reset the cache under it.
 */
typedef struct QeRelOid
{
	Oid			oid;
	uint64		generation;		/* of the catalog it was looked up in */
} QeRelOid;

extern Oid	qe_rel_oid(QeRelOid *cache, const char *relname);

#endif
