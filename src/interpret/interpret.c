/*
 * interpret.c: SPC interpretation helpers from seed §4 (pure decision logic).
 *
 * All texts are ASCII (">=" for the seed's "≥", "~" for "≈") so that they
 * are valid in any server encoding.
 */
#include "interpret/interpret.h"
#include "common/dec_compare.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- §4.1 */

static const char W_NORMALITY_IMR[] =
	"Verify data normality assumption for variable charts: I-MR is sensitive to non-normality; "
	"consider transformation or use nonparametric alternatives";
static const char W_NORMALITY[] =
	"Verify data normality assumption for variable charts";
static const char W_REDUCE[] =
	"n > 25: consider reducing subgroup size";
static const char W_POISSON[] =
	"Verify Poisson assumption for c/u charts";

static void add_warning(InterpChartChoice *out, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

static void
add_warning(InterpChartChoice *out, const char *fmt,...)
{
	va_list		ap;

	if (out->nwarnings >= INTERP_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(out->warnings[out->nwarnings], INTERP_WARNING_LEN, fmt, ap);
	va_end(ap);
	out->nwarnings++;
}

InterpSelectError
interp_select_chart(InterpDataKind kind, int64_t subgroup_size, InterpCounting counting,
					bool constant_size, InterpChartChoice *out)
{
	memset(out, 0, sizeof(*out));

	if (subgroup_size != -1 && subgroup_size < 1)
		return INTERP_SELECT_BAD_SIZE;

	if (kind == INTERP_DATA_VARIABLE)
	{
		if (counting != INTERP_COUNT_UNSPECIFIED)
			return INTERP_SELECT_COUNTING_ON_VARIABLE;
		if (subgroup_size == -1)
			return INTERP_SELECT_NEED_SIZE;
		if (subgroup_size == 1)
		{
			out->chart = "I-MR";
			out->aggregate = "qe.imr_chart";
			out->reason = "continuous data, no subgroups (n = 1, individual readings): "
				"Individuals / Moving Range (I-MR) chart; use when: batch process, destructive testing, "
				"slow process, or when each unit is unique";
			add_warning(out, "%s", W_NORMALITY_IMR);
			return INTERP_SELECT_OK;
		}
		if (subgroup_size <= 9)
		{
			out->chart = "Xbar-R";
			out->aggregate = "qe.xbar_r_chart";
			out->reason = "continuous data in subgroups, n = 2 to 9: X-bar / R chart";
		}
		else
		{
			out->chart = "Xbar-S";
			out->aggregate = "qe.xbar_s_chart";
			out->reason = subgroup_size <= 25
				? "continuous data in subgroups, n = 10 to 25: X-bar / S chart"
				: "continuous data in subgroups, n > 25: X-bar / S chart (consider reducing subgroup size)";
			if (subgroup_size > 25)
				add_warning(out, "%s", W_REDUCE);
		}
		add_warning(out, "%s", W_NORMALITY);
		if (!constant_size)
			add_warning(out, "subgroup sizes vary: the limits differ per subgroup; "
						"read each subgroup's limits with qe.limits_at(limits, n)");
		return INTERP_SELECT_OK;
	}

	/* attribute data */
	if (counting == INTERP_COUNT_UNSPECIFIED)
		return INTERP_SELECT_NEED_COUNTING;

	if (counting == INTERP_COUNT_DEFECTIVES)
	{
		if (constant_size)
		{
			out->chart = "np";
			out->aggregate = "qe.np_chart";
			out->reason = "attribute data, counting defective items, constant sample size: "
				"np-chart (count of defectives, fixed sample)";
		}
		else
		{
			out->chart = "p";
			out->aggregate = "qe.p_chart";
			out->reason = "attribute data, counting defective items, variable sample size: "
				"p-chart (proportion defective, variable sample)";
		}
		if (subgroup_size == -1)
			add_warning(out, "Attribute charts require larger sample sizes than variable charts "
						"for equivalent sensitivity: minimum ~%d for p/np", INTERP_MIN_SAMPLE_PNP);
		else if (subgroup_size < INTERP_MIN_SAMPLE_PNP)
			add_warning(out, "sample size %lld is below the minimum of ~%d for p/np charts "
						"(attribute charts require larger sample sizes than variable charts "
						"for equivalent sensitivity)", (long long) subgroup_size,
						INTERP_MIN_SAMPLE_PNP);
	}
	else
	{
		if (constant_size)
		{
			out->chart = "c";
			out->aggregate = "qe.c_chart";
			out->reason = "attribute data, counting defects (several possible per unit), "
				"constant inspection area: c-chart (count of defects per unit, fixed area)";
		}
		else
		{
			out->chart = "u";
			out->aggregate = "qe.u_chart";
			out->reason = "attribute data, counting defects (several possible per unit), "
				"variable inspection area: u-chart (defects per unit, variable area)";
		}
		add_warning(out, "%s", W_POISSON);
		if (subgroup_size == -1)
			add_warning(out, "Attribute charts require larger sample sizes than variable charts "
						"for equivalent sensitivity: minimum ~%d for c/u", INTERP_MIN_SAMPLE_CU);
		else if (subgroup_size < INTERP_MIN_SAMPLE_CU)
			add_warning(out, "sample size %lld is below the minimum of ~%d for c/u charts "
						"(attribute charts require larger sample sizes than variable charts "
						"for equivalent sensitivity)", (long long) subgroup_size,
						INTERP_MIN_SAMPLE_CU);
	}
	if (!constant_size)
		add_warning(out, "sample sizes vary: the limits differ per sample; "
					"read each sample's limits with qe.limits_at(limits, n)");
	return INTERP_SELECT_OK;
}

/* ---------------------------------------------------------------- §4.2 */

InterpTrendStatus
interp_trend_projection(const double *t, const double *v, size_t n,
						bool has_lsl, double lsl, bool has_usl, double usl,
						InterpTrend *out)
{
	double		tbar = 0,
				vbar = 0,
				stt = 0,
				stv = 0,
				tmin,
				tmax;

	memset(out, 0, sizeof(*out));
	if ((has_lsl && !isfinite(lsl)) || (has_usl && !isfinite(usl)) ||
		(has_lsl && has_usl && lsl >= usl))
		return INTERP_TREND_BAD_LIMITS;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(t[i]) || !isfinite(v[i]))
			return INTERP_TREND_NONFINITE;
	if (n < 2)
		return INTERP_TREND_TOO_FEW;

	/* two-pass centred sums: means first (Welford-free but exact enough) */
	tmin = tmax = t[0];
	for (size_t i = 0; i < n; i++)
	{
		tbar += (t[i] - tbar) / (double) (i + 1);
		vbar += (v[i] - vbar) / (double) (i + 1);
		if (t[i] < tmin)
			tmin = t[i];
		if (t[i] > tmax)
			tmax = t[i];
	}
	if (!isfinite(tbar) || !isfinite(vbar) || !isfinite(tmax - tmin))
		return INTERP_TREND_OVERFLOW;	/* e.g. values of -1e308 and 1e308: their mean overflows */
	if (tmax == tmin)
		return INTERP_TREND_TOO_FEW;

	/*
	 * Deviations scaled by their largest magnitude before they are squared:
	 * deviations of 1e160 would overflow, and of 1e-170 underflow to a zero
	 * sum of squares.  slope = (sv / st) * sum(dt' dv') / sum(dt'^2).
	 */
	{
		double		st = 0,
					sv = 0;

		for (size_t i = 0; i < n; i++)
		{
			st = fmax(st, fabs(t[i] - tbar));
			sv = fmax(sv, fabs(v[i] - vbar));
		}
		if (!isfinite(st) || !isfinite(sv))
			return INTERP_TREND_OVERFLOW;
		for (size_t i = 0; i < n; i++)
		{
			double		dt = (t[i] - tbar) / st;

			stt += dt * dt;
			if (sv > 0)
				stv += dt * ((v[i] - vbar) / sv);
		}
		if (!(stt > 0))
			return INTERP_TREND_TOO_FEW;
		out->slope = sv > 0 ? (sv / st) * (stv / stt) : 0.0;
	}

	out->n = (int64_t) n;
	out->intercept = vbar - out->slope * tbar;
	out->t_last = tmax;
	out->fitted_last = vbar + out->slope * (tmax - tbar);
	out->spacing = (tmax - tmin) / (double) (n - 1);
	if (!isfinite(out->slope) || !isfinite(out->intercept) || !isfinite(out->fitted_last))
		return INTERP_TREND_OVERFLOW;

	if (out->slope > 0 && has_usl)
	{
		out->towards = 1;
		out->limit = usl;
	}
	else if (out->slope < 0 && has_lsl)
	{
		out->towards = -1;
		out->limit = lsl;
	}
	else
		return INTERP_TREND_OK;	/* flat, or no limit on the side drifted to */

	out->t_at_limit = tbar + (out->limit - vbar) / out->slope;
	out->time_to_limit = fmax(0.0, out->t_at_limit - out->t_last);
	out->points_to_limit = out->time_to_limit / out->spacing;
	if (!isfinite(out->t_at_limit) || !isfinite(out->points_to_limit))
		return INTERP_TREND_OVERFLOW;
	return INTERP_TREND_OK;
}

/* ---------------------------------------------------------------- §4.3 */

const InterpBand interp_bands[INTERP_NBANDS] = {
	{"six sigma capable", "Cpk >= 2.00",
		"Six Sigma capable; consider reducing inspection frequency",
		"Maintain controls; candidate for reduced inspection or skip-lot",
	2.00, INFINITY},
	{"highly capable", "1.67 <= Cpk < 2.00",
		"Highly capable; exceeds most customer requirements",
		"Standard monitoring; meets IATF 16949 requirements for new processes",
	1.67, 2.00},
	{"capable", "1.33 <= Cpk < 1.67",
		"Capable; meets most industry standards",
		"Standard SPC monitoring; meets IATF 16949 minimum for production",
	1.33, 1.67},
	{"marginally capable", "1.00 <= Cpk < 1.33",
		"Marginally capable; producing some defects",
		"Increase monitoring frequency; initiate process improvement; customer notification may be required",
	1.00, 1.33},
	{"not capable", "0.67 <= Cpk < 1.00",
		"Not capable; significant defect production",
		"100% inspection until process is improved; CAPA required; customer notification required",
	0.67, 1.00},
	{"severely incapable", "Cpk < 0.67",
		"Severely incapable",
		"Stop production; sort all WIP and finished goods; engineering review of process and specification",
	-INFINITY, 0.67},
};

const InterpBand *
interp_capability_band(double cpk)
{
	if (isnan(cpk))
		return NULL;
	for (int i = 0; i < INTERP_NBANDS; i++)
		if (cpk >= interp_bands[i].lower)
			return &interp_bands[i];
	return &interp_bands[INTERP_NBANDS - 1];	/* -Infinity */
}

/*
 * -1, 0 or 1 as num / den (den > 0) is below, at or above tn / td, judged as
 * the decimals the indices are written in: the cross products are compared
 * with qe_dec_less, so that a ratio exactly at a threshold (1.08 / 1.2 =
 * 0.90) is at it, not above or below it by the rounding of a division.
 */
static int
ratio_cmp(double num, double den, double tn, double td)
{
	double		a = td * num,
				b = tn * den;

	if (!isfinite(a) || !isfinite(b))
	{
		double		r = num / den,
					t = tn / td;

		return (r > t) - (r < t);
	}
	return (int) qe_dec_less(b, a) - (int) qe_dec_less(a, b);
}

InterpDiagError
interp_cp_cpk(double cp, double cpk, InterpDiagnosis *out)
{
	bool		cp_high,
				cpk_high;

	memset(out, 0, sizeof(*out));
	if (isnan(cp) || isnan(cpk))
		return INTERP_DIAG_NAN;
	if (!(cp > 0))
		return INTERP_DIAG_CP_NOT_POSITIVE;
	if (cpk > cp)
		return INTERP_DIAG_CPK_ABOVE_CP;

	cp_high = cp >= INTERP_HIGH;
	cpk_high = cpk >= INTERP_HIGH;
	if (cp_high && cpk_high)
	{
		out->condition = "Cp high, Cpk high";
		out->meaning = "Process is both capable and centered";
		out->action = "Optimal state; maintain";
	}
	else if (cp_high)
	{
		out->condition = "Cp high, Cpk low";
		out->meaning = "Process has low variation but is not centered on the target";
		out->action = "Adjust the process mean; do NOT reduce variation (it's already good)";
	}
	else if (ratio_cmp(cpk, cp, 1.0 - INTERP_APPROX, 1.0) > 0)	/* Cpk / Cp > 0.90; cp finite here */
	{
		out->condition = "Cp low, Cpk ~ Cp";
		out->meaning = "Process has too much variation but is centered";
		out->action = "Reduce variation; centering is not the issue";
	}
	else
	{
		out->condition = "Cp low, Cpk low";
		out->meaning = "Process has too much variation, possibly also off-center";
		out->action = "Reduce variation first (fundamental process improvement), then center";
	}
	return INTERP_DIAG_OK;
}

InterpDiagError
interp_pp_cp(bool has_cp, double cp, bool has_cpk, double cpk,
			 bool has_pp, double pp, bool has_ppk, double ppk,
			 InterpDiagnosis *out, double *ratio_out)
{
	double		num,
				den,
				r;

	memset(out, 0, sizeof(*out));
	*ratio_out = NAN;
	if ((has_cp && isnan(cp)) || (has_cpk && isnan(cpk)) ||
		(has_pp && isnan(pp)) || (has_ppk && isnan(ppk)))
		return INTERP_DIAG_NAN;
	/* (USL - LSL) / 6 sigma: a negative Cp or Pp is no index of any process */
	if ((has_cp && cp <= 0) || (has_pp && pp <= 0))
		return INTERP_DIAG_CP_NOT_POSITIVE;

	/*
	 * The ratio as num / den.  An infinite Cp (or Cpk) is no spread within
	 * subgroups: against a finite Pp (Ppk) the ratio is 0, the seed's
	 * between-subgroup shift; against an infinite one, no spread at all,
	 * the process is stable.
	 */
	if (has_cp && has_pp && isinf(cp) && isfinite(pp))
		num = 0.0, den = 1.0;
	else if (has_cp && has_pp && isinf(cp) && isinf(pp))
		num = den = 1.0;
	else if (has_cp && has_pp && isfinite(cp) && isfinite(pp))
		num = pp, den = cp;
	else if (has_cpk && has_ppk && cpk == INFINITY && isfinite(ppk))
		num = 0.0, den = 1.0;
	else if (has_cpk && has_ppk && cpk != 0 && isfinite(cpk) && isfinite(ppk))
		num = cpk > 0 ? ppk : -ppk, den = fabs(cpk);
	else
		return INTERP_DIAG_NO_RATIO;
	r = num / den;
	if (!(r >= 0) || !isfinite(r))
		return INTERP_DIAG_NO_RATIO;	/* Ppk and Cpk of opposite signs: not one data set */
	*ratio_out = r;

	if (ratio_cmp(num, den, 1.0 - INTERP_APPROX, 1.0) <= 0)	/* ratio <= 0.90 */
	{
		out->condition = "Pp/Ppk < Cp/Cpk";
		out->meaning = "Process mean is shifting between subgroups";
		out->detail = "Between-subgroup variation is significant";
		out->action = "Investigate what's causing the mean to shift between subgroups";
	}
	else if (ratio_cmp(num, den, 1.0 + INTERP_APPROX, 1.0) < 0)	/* ratio < 1.10 */
	{
		out->condition = "Pp/Ppk ~ Cp/Cpk";
		out->meaning = "Process is stable over time";
		out->detail = "Minimal between-subgroup variation";
		out->action = "Process is well-controlled; long-term performance matches potential";
	}
	else
	{
		/* not in the seed's table: sigma overall clearly below sigma within */
		out->condition = "Pp/Ppk > Cp/Cpk";
		out->meaning = "Overall variation is smaller than the within-subgroup estimate (not in the seed's table)";
		out->detail = "The within-subgroup sigma is inflated, e.g. subgroups mixing streams or over-adjustment between consecutive points";
		out->action = "Check how subgroups are formed (see rule 4, stratification/mixing) before relying on Cp/Cpk";
	}
	return INTERP_DIAG_OK;
}
