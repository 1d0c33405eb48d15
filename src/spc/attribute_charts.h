/*
 * attribute_charts.h: p, np, c and u control charts, and the limits of any
 * chart at a given plotted sample size (qe.limits_at).
 *
 * Pure computation (no PostgreSQL headers).  The aggregates keep their state
 * in a fixed layout of SPC_ATTR_NSLOTS doubles, which the SQL level stores as
 * a float8[] so that the aggregates need no serial/deserial functions, run in
 * parallel and can be distributed.  Counts are held as doubles and are exact
 * while they stay below 2^53 (SPC_ATTR_MAX_COUNT); larger counts are refused.
 */
#ifndef QE_SPC_ATTRIBUTE_CHARTS_H
#define QE_SPC_ATTRIBUTE_CHARTS_H

#include <stdbool.h>
#include <stdint.h>

/* The chart kinds this file knows (the first four are attribute charts). */
typedef enum SpcChartKind
{
	SPC_CHART_P,
	SPC_CHART_NP,
	SPC_CHART_C,
	SPC_CHART_U,
	SPC_CHART_IMR,
	SPC_CHART_XBAR_R,
	SPC_CHART_XBAR_S,
	SPC_CHART_UNKNOWN
} SpcChartKind;

/*
 * Aggregate state, one slot per field, in this order:
 *   k      samples seen (points to plot)
 *   sum_x  sum of defectives (p, np) or defects (c, u)
 *   sum_n  sum of sample sizes (p, np) or units (u); k for c
 *   comp_n Neumaier compensation of sum_n (fractional units of u charts)
 *   n_min  smallest sample size / units seen (meaningless while k = 0)
 *   n_max  largest sample size / units seen
 */
#define SPC_ATTR_NSLOTS 6
enum
{
	SPC_ATTR_K = 0,
	SPC_ATTR_SUM_X,
	SPC_ATTR_SUM_N,
	SPC_ATTR_COMP_N,
	SPC_ATTR_N_MIN,
	SPC_ATTR_N_MAX
};

/* 2^53: every integer up to here is exact in a double. */
#define SPC_ATTR_MAX_COUNT 9007199254740992.0

/* What can be wrong with one input row or one state. */
typedef enum SpcAttrError
{
	SPC_ATTR_OK = 0,
	SPC_ATTR_NEGATIVE_COUNT,	/* defectives / defects < 0 */
	SPC_ATTR_BAD_SIZE,			/* sample size or units <= 0 */
	SPC_ATTR_NONFINITE_SIZE,	/* units NaN or infinite */
	SPC_ATTR_DEFECTIVES_EXCEED, /* defectives > sample size */
	SPC_ATTR_SIZE_VARIES,		/* np chart with a sample size different from before */
	SPC_ATTR_TOO_LARGE,			/* a count or sum beyond 2^53 */
	SPC_ATTR_BAD_STATE			/* a state array that no transition could produce */
} SpcAttrError;

/* A filled qe.control_limits (the n_values_null flag stands for SQL NULL). */
typedef struct SpcChartLimits
{
	SpcChartKind kind;
	double		center;
	double		lcl;
	double		ucl;
	double		sigma;
	int64_t		n_points;
	int64_t		n_values;
	bool		n_values_null;	/* u chart with a fractional total of units */
	double		avg_sample_size;
	bool		has_disp;		/* attribute charts have no dispersion chart */
	double		disp_center;
	double		disp_lcl;
	double		disp_ucl;
} SpcChartLimits;

/* The chart name used in qe.control_limits.chart, and back. */
extern const char *spc_chart_name(SpcChartKind kind);
extern SpcChartKind spc_chart_kind(const char *name);

/* Empty state (all zeros). */
extern void spc_attr_init(double *state);

/*
 * Add one sample.  For p/np x = defectives, n = sample size; for c x =
 * defects and n is ignored (pass 1); for u x = defects, n = units.  On error
 * the state is left unchanged.
 */
extern SpcAttrError spc_attr_add(double *state, SpcChartKind kind, double x, double n);

/* Merge state b into state a (a := a + b).  np: sizes must agree. */
extern SpcAttrError spc_attr_combine(double *a, const double *b, SpcChartKind kind);

/* Check that a state could have come from the transitions of this chart. */
extern SpcAttrError spc_attr_check_state(const double *state, SpcChartKind kind);

/*
 * Final: the limits of the chart from the state.  Returns false (SQL NULL)
 * when fewer than two samples were seen; *err is set (and false returned)
 * when the state is invalid or, for np, the sample size varied.
 */
extern bool spc_attr_final(const double *state, SpcChartKind kind,
						   SpcChartLimits *out, SpcAttrError *err);

/* Errors of spc_limits_at. */
typedef enum SpcLimitsAtError
{
	SPC_LIMITS_AT_OK = 0,
	SPC_LIMITS_AT_BAD_N,		/* n <= 0, NaN or infinite */
	SPC_LIMITS_AT_N_NOT_INTEGER,	/* R/S charts need an integer n >= 2 */
	SPC_LIMITS_AT_N_TOO_SMALL,	/* R/S charts: n = 1 */
	SPC_LIMITS_AT_MISSING,		/* a field the chart needs is NULL */
	SPC_LIMITS_AT_BAD_FIELD,	/* a field is outside its range (p > 1, sigma < 0, ...) */
	SPC_LIMITS_AT_UNKNOWN_CHART
} SpcLimitsAtError;

/*
 * Limits of a plotted point of size n (SPC_CONTRACT.md):
 *   Xbar: center +- 3 sigma/sqrt(n); R: d2(n) sigma, D1(n) sigma, D2(n) sigma;
 *   S: c4(n) sigma, B5(n) sigma, B6(n) sigma;  p: pbar +- 3 sqrt(pbar(1-pbar)/n);
 *   np: n pbar +- 3 sqrt(n pbar(1-pbar)), pbar = center/avg_sample_size;
 *   u: ubar +- 3 sqrt(ubar/n);  c and I-MR: unchanged.
 * Lower limits of p, np, u are clamped at 0.  The caller passes the fields of
 * the input composite (NaN for SQL NULL); *changed tells whether the result
 * differs from the input at all (false for c and I-MR).  For every other
 * chart out->avg_sample_size is n, so the result describes the plotted point
 * and limits_at(limits_at(cl, m), n) = limits_at(cl, n).  out->has_disp says
 * whether the disp_* fields were recomputed (Xbar-R, Xbar-S).
 */
extern SpcLimitsAtError spc_limits_at(SpcChartKind kind, double center, double sigma,
									  double avg_sample_size, double n,
									  SpcChartLimits *out, bool *changed);

#endif
