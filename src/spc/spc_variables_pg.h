/*
 * spc_variables_pg.h: glue shared by the variables-chart and capability
 * fmgr files (spc_individuals_pg.c, spc_subgroups_pg.c, spc_summary_pg.c).
 */
#ifndef QE_SPC_VARIABLES_PG_H
#define QE_SPC_VARIABLES_PG_H

#include "postgres.h"
#include "fmgr.h"

#include "spc/spc_variables.h"

/* how an int64 t is to be read: the SQL type of the t argument */
typedef enum SpcTKind
{
	SPC_T_BIGINT = 0,
	SPC_T_TIMESTAMP = 1,
	SPC_T_TIMESTAMPTZ = 2
} SpcTKind;

/* the SpcTKind of argument argno of the current call (bigint when unknown) */
extern int	spc_var_t_kind(FunctionCallInfo fcinfo, int argno);

/* t rendered for a message, in its SQL type */
extern char *spc_var_t_text(int64 t, int kind);

/* the aggregate context, or an error naming the function */
extern MemoryContext spc_var_aggcontext(FunctionCallInfo fcinfo, const char *fname);

/*
 * Read lsl / usl / target from arguments (NULL = absent), validate them
 * (finite, lsl < usl, lsl <= target <= usl) into *spec.
 */
extern void spc_var_read_spec(FunctionCallInfo fcinfo, int lsl_arg, int usl_arg, int target_arg,
							  SpcSpec *spec);

/* error unless the spec of a row equals the spec seen so far */
extern void spc_var_same_spec(const SpcSpec *seen, const SpcSpec *row);

/* qe.control_limits for a variables chart */
extern Datum spc_var_limits_datum(FunctionCallInfo fcinfo, const char *chart, const char *disp,
								  const SpcLimits *l);

/* qe.capability */
extern Datum spc_var_capability_datum(FunctionCallInfo fcinfo, const SpcCapability *c,
									  const SpcSpec *spec, const char *method);

/* capability of a time-ordered series (NULL when n < 2) */
extern Datum spc_var_series_capability(FunctionCallInfo fcinfo, const SpcSeries *s, const SpcSpec *spec);

/*
 * 22003 (as PostgreSQL's own aggregates give) unless all n values are finite:
 * sums of values near the limits of double precision overflow, and an
 * infinite or NaN mean or spread must never be returned or stored.
 */
extern void spc_var_check_finite(const char *what, const double *v, int n);

/* a qe.capability_summary Datum (palloc'd) from a series */
extern Datum spc_var_summary_datum(const SpcSeries *s, int t_kind);

#endif
