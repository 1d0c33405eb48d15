/*
 * Unit tests of src/sampling/oc.c against textbook values and independent
 * computation.  "mpmath" values were computed with Python mpmath at 50
 * significant digits by direct summation of the pmf (binomial, Poisson) or
 * with exact rational arithmetic (hypergeometric: fractions.Fraction over
 * math.comb); risk points by 200 bisection steps, the AOQL by golden
 * sections, all in 50-digit arithmetic.
 */
#include "sampling/oc.h"
#include "tap.h"

#include <string.h>

static double
rel(double got, double want)
{
	return fabs(got - want) / fabs(want);
}

static void
near_rel(double got, double want, double tol, const char *name)
{
	tap_ok(rel(got, want) <= tol, "%s", name);
	if (rel(got, want) > tol)
		printf("#   got %.17g, want %.17g (relative tolerance %g)\n", got, want, tol);
}

static long polls;

static void
count_poll(void)
{
	polls++;
}

int
main(void)
{
	SmpOcPlan	m = {SMP_OC_BINOMIAL, 89, 2, 10000};	/* Montgomery's plan, N = 10000 */
	SmpOcPlan	pois = {SMP_OC_POISSON, 80, 2, 0};
	SmpOcPlan	hyp = {SMP_OC_HYPERGEOMETRIC, 32, 1, 200};
	double		v,
				p;

	/* Montgomery, Introduction to SQC, §15.2: n = 89, c = 2, N = 10 000 */
	smp_oc_pa(&m, 0.01, &v);
	tap_near(v, 0.9397, 0.00005, "Montgomery n=89 c=2: Pa(0.01) = 0.9397 (printed)");
	near_rel(v, 0.93968991831355953750, 1e-14, "n=89 c=2: Pa(0.01) = 0.939689918313559 (mpmath)");
	smp_oc_pa(&m, 0.02, &v);
	near_rel(v, 0.73657757569667196873, 1e-14, "n=89 c=2: Pa(0.02) = 0.736577575696672 (mpmath)");
	smp_oc_pa(&m, 0.03, &v);
	near_rel(v, 0.49848283793864300455, 1e-14, "n=89 c=2: Pa(0.03) = 0.498482837938643 (mpmath)");
	smp_oc_pa(&m, 0.05, &v);
	near_rel(v, 0.17207686422873555162, 1e-13, "n=89 c=2: Pa(0.05) = 0.172076864228736 (mpmath)");
	smp_oc_aoq(&m, 0.01, &v);
	tap_near(v, 0.0093, 0.00005, "Montgomery: AOQ(0.01) = 0.0093 (printed)");
	near_rel(v, 0.0093132667804056885762, 1e-14, "AOQ(0.01) = 0.00931326678040569 (mpmath)");
	smp_oc_ati(&m, 0.01, &v);
	tap_near(v, 687, 0.5, "Montgomery: ATI(0.01) = 687 (printed)");
	near_rel(v, 686.73321959431142384, 1e-14, "ATI(0.01) = 686.733219594311 (mpmath)");
	smp_oc_aoql(&m, &v, &p);
	tap_near(v, 0.0155, 0.0005, "Montgomery: AOQL about 0.0155 (read from the AOQ curve)");
	near_rel(v, 0.015246342929140841624, 1e-12, "AOQL = 0.0152463429291408 (mpmath golden section)");
	near_rel(p, 0.025276991940620674824, 1e-5, "AOQL reached at p = 0.02528 (flat maximum: 5 digits)");
	smp_oc_p_at(&m, 0.95, &v);
	near_rel(v, 0.0092493888284932699148, 1e-12, "producer's risk point Pa = 0.95 at p = 0.00924938882849327 (mpmath)");
	smp_oc_p_at(&m, 0.10, &v);
	near_rel(v, 0.058693976271509348674, 1e-12, "consumer's risk point (LTPD) Pa = 0.10 at p = 0.0586939762715093 (mpmath)");

	/* binomial extremes */
	near_rel(smp_pa_binomial(2000, 44, 0.02), 0.76769165746549871143, 1e-13, "n=2000 c=44 p=0.02: 0.767691657465499 (mpmath)");
	near_rel(smp_pa_binomial(125, 1, 0.001), 0.99285734101730382477, 1e-15, "n=125 c=1 p=0.001: 0.992857341017304 (mpmath)");
	tap_ok(smp_pa_binomial(3150, 1, 0.5) == 0.0, "n=3150 c=1 p=0.5: 1.79e-945 underflows to 0, no NaN");
	tap_ok(smp_pa_binomial(10, 10, 0.9) == 1.0 && smp_pa_binomial(10, 3, 0.0) == 1.0 && smp_pa_binomial(10, 3, 1.0) == 0.0,
		   "binomial edges: c >= n, p = 0, p = 1");

	/* Poisson: lambda = n p */
	smp_oc_pa(&pois, 0.01, &v);
	near_rel(v, 0.95257740392850977383, 1e-14, "Poisson n=80 c=2 p=0.01: exp(-0.8)(1 + 0.8 + 0.32) = 0.95257740392851");
	smp_oc_p_at(&pois, 0.95, &v);
	near_rel(v, 0.010221143089549416581, 1e-12, "Poisson n=80 c=2: Pa = 0.95 at 0.0102211430895494 (mpmath)");
	smp_oc_p_at(&pois, 0.10, &v);
	near_rel(v, 0.066529004222927623804, 1e-12, "Poisson n=80 c=2: Pa = 0.10 at 0.0665290042229276 (mpmath)");
	tap_ok(smp_oc_pa(&pois, 2.5, &v) == SMP_OC_OK && v > 0 && v < 1e-80, "Poisson accepts p > 1 (defects per unit)");

	/* hypergeometric */
	near_rel(smp_pa_hypergeometric(50, 5, 0, 5), 0.57663869433064622704, 1e-14, "N=50 n=5 c=0 D=5: C(45,5)/C(50,5) = 0.576638694330646");
	near_rel(smp_pa_hypergeometric(1000, 80, 2, 10), 0.96075168155238571989, 1e-13, "N=1000 n=80 c=2 D=10: 0.960751681552386 (exact rational)");
	near_rel(smp_pa_hypergeometric(10000, 89, 2, 100), 0.94049967902974147118, 1e-13, "N=10000 n=89 c=2 D=100: 0.940499679029741 (exact rational)");
	tap_ok(smp_pa_hypergeometric(100, 100, 3, 3) == 1.0 && smp_pa_hypergeometric(100, 100, 3, 4) == 0.0,
		   "n = N (100 % inspection): accept exactly when D <= c");
	tap_ok(smp_pa_hypergeometric(10, 8, 0, 5) == 0.0, "D beyond what the unsampled part can hold: Pa 0");
	smp_oc_aoql(&hyp, &v, &p);
	near_rel(v, 0.021271323040634286, 1e-13, "N=200 n=32 c=1: AOQL = 0.0212713230406343 at D = 9 (exact search)");
	tap_near(p, 9.0 / 200.0, 0, "N=200 n=32 c=1: AOQL at D = 9");
	smp_oc_p_at(&hyp, 0.95, &v);
	tap_near(v, 2.0 / 200.0, 0, "N=200 n=32 c=1: largest D with Pa >= 0.95 is 2");

	/* validation */
	{
		SmpOcPlan	bad = m;

		tap_ok(smp_oc_pa(&m, -0.1, &v) == SMP_OC_ERR_P && smp_oc_pa(&m, 1.5, &v) == SMP_OC_ERR_P &&
			   smp_oc_pa(&m, NAN, &v) == SMP_OC_ERR_P && smp_oc_pa(&m, INFINITY, &v) == SMP_OC_ERR_P,
			   "p outside [0, 1] or not finite is refused");
		bad.n = 0;
		tap_ok(smp_oc_pa(&bad, 0.1, &v) == SMP_OC_ERR_N, "n = 0 refused");
		bad = m;
		bad.c = -1;
		tap_ok(smp_oc_pa(&bad, 0.1, &v) == SMP_OC_ERR_C, "c < 0 refused");
		bad = m;
		bad.lot = 0;
		tap_ok(smp_oc_aoq(&bad, 0.1, &v) == SMP_OC_ERR_LOT && smp_oc_pa(&bad, 0.1, &v) == SMP_OC_OK,
			   "AOQ needs the lot size, Pa does not");
		bad.model = SMP_OC_HYPERGEOMETRIC;
		tap_ok(smp_oc_pa(&bad, 0.1, &v) == SMP_OC_ERR_LOT, "hypergeometric needs the lot size");
		bad.lot = 50;
		tap_ok(smp_oc_pa(&bad, 0.1, &v) == SMP_OC_ERR_LOT, "lot smaller than the sample refused");
		tap_ok(smp_parse_oc_model("Poisson", 7) == SMP_OC_POISSON && smp_parse_oc_model("binom", 5) == -1,
			   "model names");
	}
	{
		/* found by an adversarial pass: edges that gave impossible numbers */
		SmpOcPlan	huge = {SMP_OC_HYPERGEOMETRIC, 10, 1, INT64_MAX};

		tap_ok(smp_pa_poisson(10, 1, 1e308) == 0.0 && smp_pa_poisson(INT64_C(2147483647), 5, 1e300) == 0.0,
			   "Poisson with n p beyond double: Pa 0, not NaN");
		tap_ok(smp_oc_pa(&huge, 1.0, &v) == SMP_OC_OK && v == 0.0,
			   "hypergeometric, lot 2^63 - 1, p = 1: every unit defective, Pa 0 (D once overflowed to INT64_MIN: Pa 1)");
		tap_ok(smp_oc_aoq(&huge, 1.0, &v) == SMP_OC_OK && v == 0.0, "... and AOQ 0, not -1");
	}
	{
		/* long sums call the poll hook (PostgreSQL: CHECK_FOR_INTERRUPTS) */
		smp_oc_poll = count_poll;
		polls = 0;
		(void) smp_pa_binomial(2000000, 1000000, 0.5);
		tap_ok(polls == 1000000 / SMP_OC_POLL_EVERY, "a binomial sum of 10^6 terms polls every %d terms (%ld polls)",
			   SMP_OC_POLL_EVERY, polls);
		polls = 0;
		(void) smp_pa_binomial(80, 2, 0.01);
		tap_ok(polls == 0, "a short sum does not poll");
		smp_oc_poll = NULL;
	}
	return tap_done();
}
