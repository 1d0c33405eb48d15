/*
 * interpret.h: SPC interpretation helpers from seed §4 (decision logic only).
 *
 * Pure computation (no PostgreSQL headers):
 *   interp_select_chart      control chart selection flowchart (§4.1)
 *   interp_trend_projection  rule 3 "Projection" step: when does the least-
 *                            squares drift line cross a specification limit (§4.2)
 *   interp_capability_band   Cpk bands (§4.3)
 *   interp_cp_cpk            Cp vs. Cpk diagnosis (§4.3)
 *   interp_pp_cp             Pp/Ppk vs. Cp/Cpk diagnosis (§4.3)
 */
#ifndef QE_INTERPRET_H
#define QE_INTERPRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- chart selection (§4.1) ---- */

typedef enum InterpDataKind
{
	INTERP_DATA_VARIABLE,		/* continuous measurements */
	INTERP_DATA_ATTRIBUTE		/* counts or proportions */
} InterpDataKind;

typedef enum InterpCounting
{
	INTERP_COUNT_UNSPECIFIED,
	INTERP_COUNT_DEFECTIVES,	/* items that pass or fail */
	INTERP_COUNT_DEFECTS		/* several defects possible per unit */
} InterpCounting;

/* Minimum sample sizes of the seed: "minimum ~50 for p/np, ~25 for c/u". */
#define INTERP_MIN_SAMPLE_PNP 50
#define INTERP_MIN_SAMPLE_CU  25

#define INTERP_MAX_WARNINGS 4
#define INTERP_WARNING_LEN 256

typedef struct InterpChartChoice
{
	const char *chart;			/* as in qe.control_limits.chart: 'I-MR', 'Xbar-R', ... */
	const char *aggregate;		/* the qe aggregate that computes it */
	const char *reason;			/* the branch of the flowchart taken */
	int			nwarnings;
	char		warnings[INTERP_MAX_WARNINGS][INTERP_WARNING_LEN];
} InterpChartChoice;

typedef enum InterpSelectError
{
	INTERP_SELECT_OK = 0,
	INTERP_SELECT_NEED_SIZE,	/* variable data without a subgroup size */
	INTERP_SELECT_BAD_SIZE,		/* subgroup / sample size < 1 */
	INTERP_SELECT_NEED_COUNTING,	/* attribute data: defectives or defects? */
	INTERP_SELECT_COUNTING_ON_VARIABLE	/* counting given for variable data */
} InterpSelectError;

/*
 * subgroup_size: measurements per sampling event (variable data; 1 =
 * individual readings) or units inspected per sample (attribute data), or
 * -1 when unknown (allowed for attribute data only).  constant_size: whether
 * the subgroup / sample size (inspection area) stays the same.
 */
extern InterpSelectError interp_select_chart(InterpDataKind kind, int64_t subgroup_size,
											 InterpCounting counting, bool constant_size,
											 InterpChartChoice *out);

/* ---- trend projection (§4.2, rule 3) ---- */

typedef enum InterpTrendStatus
{
	INTERP_TREND_OK = 0,		/* fitted; see towards / crosses */
	INTERP_TREND_TOO_FEW,		/* fewer than 2 points or all t equal: no line */
	INTERP_TREND_NONFINITE,		/* a NaN or infinite t or value */
	INTERP_TREND_BAD_LIMITS,	/* lsl >= usl, or a limit NaN/infinite */
	INTERP_TREND_OVERFLOW		/* the fitted line's figures exceed double precision */
} InterpTrendStatus;

typedef struct InterpTrend
{
	int64_t		n;				/* points used */
	double		slope;			/* value units per t unit */
	double		intercept;		/* fitted value at t = 0 */
	double		t_last;			/* largest t */
	double		fitted_last;	/* the line at t_last */
	double		spacing;		/* mean distance between points in t: (t_max - t_min)/(n - 1) */
	int			towards;		/* +1 towards USL, -1 towards LSL, 0 not towards a given limit */
	double		limit;			/* the limit drifted towards */
	double		t_at_limit;		/* t where the line meets it (may lie before t_last) */
	double		time_to_limit;	/* max(0, t_at_limit - t_last) */
	double		points_to_limit;	/* time_to_limit / spacing */
} InterpTrend;

/*
 * Least-squares line value = intercept + slope t through the points (two-pass
 * centred sums).  The drift heads for the USL when slope > 0 and for the LSL
 * when slope < 0; `towards` is 0 (no projection) when the slope is 0 or the
 * limit on that side is not given (has_lsl / has_usl false).  When the line
 * is already beyond the limit at t_last, time_to_limit and points_to_limit
 * are 0.
 */
extern InterpTrendStatus interp_trend_projection(const double *t, const double *v, size_t n,
												 bool has_lsl, double lsl,
												 bool has_usl, double usl,
												 InterpTrend *out);

/* ---- capability (§4.3) ---- */

typedef struct InterpBand
{
	const char *band;			/* short name */
	const char *cpk_range;		/* the seed's row label, e.g. "1.33 ≤ Cpk < 1.67" */
	const char *interpretation;
	const char *action;
	double		lower;			/* inclusive lower bound, -Infinity for the last band */
	double		upper;			/* exclusive upper bound, +Infinity for the first band */
} InterpBand;

#define INTERP_NBANDS 6
extern const InterpBand interp_bands[INTERP_NBANDS];

/* The band of a Cpk value (NaN: NULL).  +-Infinity fall in the end bands. */
extern const InterpBand *interp_capability_band(double cpk);

/*
 * Decided thresholds (not in the seed): an index is "high" when >= 1.33 (the
 * seed's "Capable" band, IATF 16949 minimum for production), "low" below;
 * two indices are "≈" when they differ by less than 10 % of the first:
 * Cpk ≈ Cp when Cpk/Cp > 0.90; Pp/Ppk ≈ Cp/Cpk when 0.90 < ratio < 1.10.
 */
#define INTERP_HIGH 1.33
#define INTERP_APPROX 0.10

typedef struct InterpDiagnosis
{
	const char *condition;
	const char *meaning;
	const char *detail;			/* the seed's "Represents" column (Pp/Ppk table), or NULL */
	const char *action;
} InterpDiagnosis;

typedef enum InterpDiagError
{
	INTERP_DIAG_OK = 0,
	INTERP_DIAG_NAN,			/* a NaN index */
	INTERP_DIAG_CP_NOT_POSITIVE,	/* Cp <= 0: no spread or USL <= LSL */
	INTERP_DIAG_CPK_ABOVE_CP,	/* Cpk > Cp: inconsistent pair */
	INTERP_DIAG_NO_RATIO		/* Pp/Ppk table: no usable pair of indices */
} InterpDiagError;

extern InterpDiagError interp_cp_cpk(double cp, double cpk, InterpDiagnosis *out);

/*
 * ratio = Pp/Cp when both are given (= sigma_within / sigma_overall), else
 * Ppk/Cpk (the same ratio when both come from one data set).  *ratio_out
 * receives it.
 */
extern InterpDiagError interp_pp_cp(bool has_cp, double cp, bool has_cpk, double cpk,
									bool has_pp, double pp, bool has_ppk, double ppk,
									InterpDiagnosis *out, double *ratio_out);

#endif
