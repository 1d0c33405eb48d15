/*
 * Unit tests of src/interpret/interpret.c against the wording and the
 * boundaries of seed section 4 (002_cb1ff3f3c703bfcc.txt).
 */
#include "interpret/interpret.h"
#include "tap.h"

#include <string.h>

static int
has_warning(const InterpChartChoice *c, const char *needle)
{
	for (int i = 0; i < c->nwarnings; i++)
		if (strstr(c->warnings[i], needle))
			return 1;
	return 0;
}

static void
test_select(void)
{
	InterpChartChoice c;
	static const struct
	{
		int64_t		n;
		const char *chart;
	}			var[] = {{1, "I-MR"}, {2, "Xbar-R"}, {9, "Xbar-R"}, {10, "Xbar-S"}, {25, "Xbar-S"}, {26, "Xbar-S"}, {1000, "Xbar-S"}};

	for (size_t i = 0; i < sizeof var / sizeof var[0]; i++)
	{
		tap_ok(interp_select_chart(INTERP_DATA_VARIABLE, var[i].n, INTERP_COUNT_UNSPECIFIED, true, &c) == 0 &&
			   strcmp(c.chart, var[i].chart) == 0,
			   "variable data, n = %lld -> %s (seed: 'n = 2 to 9 -> X-bar / R', 'n = 10 to 25 -> X-bar / S', 'n > 25 -> X-bar / S')",
			   (long long) var[i].n, var[i].chart);
		tap_ok(has_warning(&c, "consider reducing subgroup size") == (var[i].n > 25),
			   "n = %lld: 'consider reducing subgroup size' exactly when n > 25", (long long) var[i].n);
	}
	interp_select_chart(INTERP_DATA_VARIABLE, 1, INTERP_COUNT_UNSPECIFIED, true, &c);
	tap_ok(has_warning(&c, "I-MR is sensitive to non-normality") && strstr(c.reason, "destructive testing") &&
		   strcmp(c.aggregate, "qe.imr_chart") == 0,
		   "I-MR: normality warning and 'Use when: batch process, destructive testing, ...'");
	interp_select_chart(INTERP_DATA_VARIABLE, 5, INTERP_COUNT_UNSPECIFIED, false, &c);
	tap_ok(has_warning(&c, "Verify data normality") && has_warning(&c, "qe.limits_at"),
		   "Xbar with varying subgroup sizes: normality and limits_at warnings");

	tap_ok(interp_select_chart(INTERP_DATA_ATTRIBUTE, 50, INTERP_COUNT_DEFECTIVES, true, &c) == 0 &&
		   strcmp(c.chart, "np") == 0 && c.nwarnings == 0,
		   "defectives, constant n = 50 -> np-chart, no warning (seed: 'YES -> np-chart')");
	tap_ok(interp_select_chart(INTERP_DATA_ATTRIBUTE, 49, INTERP_COUNT_DEFECTIVES, false, &c) == 0 &&
		   strcmp(c.chart, "p") == 0 && has_warning(&c, "minimum of ~50"),
		   "defectives, variable n = 49 -> p-chart with 'minimum ~50 for p/np'");
	tap_ok(interp_select_chart(INTERP_DATA_ATTRIBUTE, 25, INTERP_COUNT_DEFECTS, true, &c) == 0 &&
		   strcmp(c.chart, "c") == 0 && has_warning(&c, "Poisson") && !has_warning(&c, "minimum"),
		   "defects, constant area, n = 25 -> c-chart with only 'Verify Poisson assumption'");
	tap_ok(interp_select_chart(INTERP_DATA_ATTRIBUTE, 24, INTERP_COUNT_DEFECTS, false, &c) == 0 &&
		   strcmp(c.chart, "u") == 0 && has_warning(&c, "Poisson") && has_warning(&c, "minimum of ~25"),
		   "defects, variable area, n = 24 -> u-chart with Poisson and 'minimum ~25 for c/u'");
	tap_ok(interp_select_chart(INTERP_DATA_ATTRIBUTE, -1, INTERP_COUNT_DEFECTIVES, true, &c) == 0 &&
		   has_warning(&c, "minimum ~50 for p/np"), "unknown sample size: the seed's minimum as a reminder");

	tap_ok(interp_select_chart(INTERP_DATA_VARIABLE, -1, INTERP_COUNT_UNSPECIFIED, true, &c) == INTERP_SELECT_NEED_SIZE,
		   "variable data without subgroup size refused");
	tap_ok(interp_select_chart(INTERP_DATA_VARIABLE, 0, INTERP_COUNT_UNSPECIFIED, true, &c) == INTERP_SELECT_BAD_SIZE,
		   "subgroup size 0 refused");
	tap_ok(interp_select_chart(INTERP_DATA_ATTRIBUTE, 50, INTERP_COUNT_UNSPECIFIED, true, &c) == INTERP_SELECT_NEED_COUNTING,
		   "attribute data without defectives/defects refused");
	tap_ok(interp_select_chart(INTERP_DATA_VARIABLE, 5, INTERP_COUNT_DEFECTS, true, &c) == INTERP_SELECT_COUNTING_ON_VARIABLE,
		   "counting with variable data refused");
}

static void
test_trend(void)
{
	InterpTrend tr;
	double		t[] = {1, 2, 3, 4, 5, 6};
	double		up[] = {10.00, 10.02, 10.04, 10.06, 10.08, 10.10};
	double		down[] = {5, 4, 3, 2, 1, 0};
	double		t10[] = {0, 10, 20, 30};
	double		v10[] = {0, 1, 2, 3};
	double		same[] = {3, 3, 3};

	/* exact line v = 9.98 + 0.02 t: reaches USL 10.20 at t = 11, 5 points after t = 6 */
	tap_ok(interp_trend_projection(t, up, 6, true, 9.8, true, 10.2, &tr) == 0 && tr.towards == 1,
		   "rising drift heads for the USL");
	tap_near(tr.slope, 0.02, 1e-12, "slope 0.02 per point");
	tap_near(tr.t_at_limit, 11, 1e-9, "line 9.98 + 0.02 t meets 10.20 at t = 11");
	tap_near(tr.points_to_limit, 5, 1e-9, "5 points after the last (t = 6)");

	tap_ok(interp_trend_projection(t, down, 6, true, -2, true, 10, &tr) == 0 && tr.towards == -1,
		   "falling drift heads for the LSL");
	tap_near(tr.t_at_limit, 8, 1e-12, "v = 6 - t meets -2 at t = 8");
	tap_near(tr.time_to_limit, 2, 1e-12, "2 time units after t = 6");

	tap_ok(interp_trend_projection(t10, v10, 4, false, 0, true, 5, &tr) == 0, "points every 10 time units");
	tap_near(tr.time_to_limit, 20, 1e-12, "v = t/10 meets 5 at t = 50: 20 time units after t = 30");
	tap_near(tr.points_to_limit, 2, 1e-12, "= 2 points at a spacing of 10");

	tap_ok(interp_trend_projection(t, up, 6, true, 9.8, false, 0, &tr) == 0 && tr.towards == 0,
		   "rising drift with only an LSL: not drifting towards a limit (NULL)");
	tap_ok(interp_trend_projection(t, same, 3, true, 0, true, 9, &tr) == 0 && tr.towards == 0 && tr.slope == 0,
		   "flat line: no projection");
	tap_ok(interp_trend_projection(t, up, 6, true, 9.0, true, 10.05, &tr) == 0 && tr.towards == 1 &&
		   tr.time_to_limit == 0 && tr.points_to_limit == 0,
		   "line already beyond the USL at the last point: 0 points to go");
	tap_ok(interp_trend_projection(t, up, 1, true, 9, true, 11, &tr) == INTERP_TREND_TOO_FEW, "one point: no line");
	tap_ok(interp_trend_projection(same, up, 3, true, 9, true, 11, &tr) == INTERP_TREND_TOO_FEW,
		   "all t equal: no line");
	{
		double		bad[] = {1, NAN, 3};

		tap_ok(interp_trend_projection(t, bad, 3, true, 0, true, 9, &tr) == INTERP_TREND_NONFINITE, "NaN value refused");
	}
	tap_ok(interp_trend_projection(t, up, 6, true, 10, true, 10, &tr) == INTERP_TREND_BAD_LIMITS, "lsl = usl refused");
	{
		/* scales near the limits of double precision (found by an adversarial pass) */
		double		big[] = {0, 1e160};
		double		tiny[] = {0, 1e-170};
		double		one[] = {0, 1};
		double		t3[] = {1, 2, 3};
		double		huge[] = {-1e308, 0, 1e308};

		tap_ok(interp_trend_projection(big, big, 2, false, 0, true, 1e300, &tr) == 0, "t and values of 1e160: fitted");
		tap_near(tr.slope, 1, 1e-15, "... slope 1 (the squares of the deviations once overflowed: slope NaN)");
		tap_ok(interp_trend_projection(tiny, one, 2, false, 0, true, 10, &tr) == 0, "t 1e-170 apart: two distinct t, fitted");
		tap_near(tr.slope, 1e170, 1e-15, "... slope 1e170 (the sum of squares once underflowed: 'all t equal')");
		tap_ok(interp_trend_projection(t3, huge, 3, false, 0, true, 1e308, &tr) == INTERP_TREND_OVERFLOW,
			   "a line whose intercept exceeds double precision is an overflow, not -Infinity");
	}
}

static void
test_bands(void)
{
	static const struct
	{
		double		cpk;
		const char *band;
	}			cases[] = {
		{INFINITY, "six sigma capable"}, {2.00, "six sigma capable"},
		{1.9999999, "highly capable"}, {1.67, "highly capable"},
		{1.6699999, "capable"}, {1.33, "capable"},
		{1.3299999, "marginally capable"}, {1.00, "marginally capable"},
		{0.9999999, "not capable"}, {0.67, "not capable"},
		{0.6699999, "severely incapable"}, {0, "severely incapable"},
		{-1.5, "severely incapable"}, {-INFINITY, "severely incapable"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		const InterpBand *b = interp_capability_band(cases[i].cpk);

		tap_ok(b && strcmp(b->band, cases[i].band) == 0, "Cpk %.7g -> %s (%s)", cases[i].cpk,
			   cases[i].band, b ? b->cpk_range : "none");
	}
	tap_ok(interp_capability_band(NAN) == NULL, "NaN has no band");
	tap_ok(strcmp(interp_capability_band(1.5)->action,
				  "Standard SPC monitoring; meets IATF 16949 minimum for production") == 0,
		   "seed action for 1.33 <= Cpk < 1.67");
	tap_ok(strcmp(interp_capability_band(0.8)->action,
				  "100% inspection until process is improved; CAPA required; customer notification required") == 0,
		   "seed action for 0.67 <= Cpk < 1.00");
}

static void
test_diagnoses(void)
{
	InterpDiagnosis d;
	double		r;

	tap_ok(interp_cp_cpk(2.0, 1.8, &d) == 0 && strcmp(d.condition, "Cp high, Cpk high") == 0 &&
		   strcmp(d.action, "Optimal state; maintain") == 0, "'Cp high, Cpk high': Optimal state; maintain");
	tap_ok(interp_cp_cpk(1.33, 1.33, &d) == 0 && strcmp(d.condition, "Cp high, Cpk high") == 0,
		   "1.33 counts as high (boundary)");
	tap_ok(interp_cp_cpk(2.0, 1.3299, &d) == 0 && strcmp(d.condition, "Cp high, Cpk low") == 0 &&
		   strstr(d.action, "Adjust the process mean"), "'Cp high, Cpk low': Adjust the process mean");
	tap_ok(interp_cp_cpk(1.0, 0.95, &d) == 0 && strcmp(d.condition, "Cp low, Cpk ~ Cp") == 0 &&
		   strstr(d.action, "centering is not the issue"), "'Cp low, Cpk ~ Cp': centering is not the issue");
	tap_ok(interp_cp_cpk(1.0, 0.9, &d) == 0 && strcmp(d.condition, "Cp low, Cpk low") == 0 &&
		   strstr(d.action, "Reduce variation first"),
		   "Cpk exactly 10%% below Cp is not ~: 'Cp low, Cpk low': Reduce variation first ... then center");
	tap_ok(interp_cp_cpk(1.3299, 1.3299, &d) == 0 && strcmp(d.condition, "Cp low, Cpk ~ Cp") == 0,
		   "Cp just below 1.33 and centred: Cp low, Cpk ~ Cp");
	tap_ok(interp_cp_cpk(INFINITY, INFINITY, &d) == 0 && strcmp(d.condition, "Cp high, Cpk high") == 0,
		   "zero variation (infinite indices): high, high");
	tap_ok(interp_cp_cpk(1.0, 1.1, &d) == INTERP_DIAG_CPK_ABOVE_CP, "Cpk > Cp refused");
	tap_ok(interp_cp_cpk(0, 0, &d) == INTERP_DIAG_CP_NOT_POSITIVE, "Cp = 0 refused");
	tap_ok(interp_cp_cpk(NAN, 1, &d) == INTERP_DIAG_NAN, "NaN refused");

	tap_ok(interp_pp_cp(true, 1.5, true, 1.4, true, 1.0, true, 0.9, &d, &r) == 0 &&
		   strcmp(d.condition, "Pp/Ppk < Cp/Cpk") == 0 && strstr(d.meaning, "shifting between subgroups"),
		   "Pp/Cp = 0.67: 'Process mean is shifting between subgroups'");
	tap_near(r, 1.0 / 1.5, 1e-15, "ratio Pp/Cp");
	tap_ok(interp_pp_cp(true, 1.0, false, 0, true, 0.9, false, 0, &d, &r) == 0 &&
		   strcmp(d.condition, "Pp/Ppk < Cp/Cpk") == 0, "ratio exactly 0.90 counts as <");
	tap_ok(interp_pp_cp(true, 1.0, false, 0, true, 0.95, false, 0, &d, &r) == 0 &&
		   strcmp(d.condition, "Pp/Ppk ~ Cp/Cpk") == 0 && strstr(d.action, "long-term performance matches potential"),
		   "ratio 0.95: 'Process is stable over time'");
	tap_ok(interp_pp_cp(false, 0, true, 1.2, false, 0, true, 1.15, &d, &r) == 0 &&
		   strcmp(d.condition, "Pp/Ppk ~ Cp/Cpk") == 0, "one-sided: Ppk/Cpk used when Cp/Pp are missing");
	tap_ok(interp_pp_cp(true, 1.0, false, 0, true, 1.2, false, 0, &d, &r) == 0 &&
		   strcmp(d.condition, "Pp/Ppk > Cp/Cpk") == 0, "ratio 1.2: the branch outside the seed's table");
	tap_ok(interp_pp_cp(true, 1.0, false, 0, false, 0, true, 1.0, &d, &r) == INTERP_DIAG_NO_RATIO,
		   "no matching pair: no diagnosis");
	tap_ok(interp_pp_cp(true, NAN, false, 0, true, 1, false, 0, &d, &r) == INTERP_DIAG_NAN, "NaN refused");
}

int
main(void)
{
	test_select();
	test_trend();
	test_bands();
	test_diagnoses();
	return tap_done();
}
