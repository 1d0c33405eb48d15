/*
 * Unit tests of src/rules/spc_rules.c: the streaming engine.
 *
 * 1. Hand-checked textbook sequences for each test (centre 0, sigma 1, so
 *    a value is its own z score); comments say which point completes the
 *    pattern.
 * 2. A deliberately naive reference written here from the definitions (keeps
 *    the whole series and rescans the last K points for every point),
 *    compared point by point with the engine on thousands of random series
 *    with planted shifts, trends, alternations, stratification, mixtures and
 *    ties, under random K and random enabled tests.
 */
#include "rules/spc_rules.h"
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers */

/* run a series through the engine (centre c, sigma s), bits per point */
static void
run_engine(const RulesConfig *cfg, const double *x, int n, double c, double s,
		   uint32_t *out)
{
	RulesState	st;

	rules_state_init(&st);
	for (int i = 0; i < n; i++)
	{
		RulesPoint	p;

		rules_point_sigma(&p, cfg, x[i], c, s);
		out[i] = rules_push(&st, cfg, &p);
	}
}

/* the 1-based indices of the points flagged with test t, as "3,4,9" */
static void
flagged(const uint32_t *bits, int n, int t, char *buf, size_t len)
{
	size_t		used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		if (bits[i] & (1u << (t - 1)))
			used += (size_t) snprintf(buf + used, len - used, "%s%d",
									  used ? "," : "", i + 1);
}

static void
expect_flags(const RulesConfig *cfg, const double *x, int n, int t,
			 const char *want, const char *name)
{
	uint32_t	bits[256];
	char		got[1024];

	run_engine(cfg, x, n, 0.0, 1.0, bits);
	flagged(bits, n, t, got, sizeof got);
	tap_ok(strcmp(got, want) == 0, "%s: test %d flags points {%s}", name, t, want);
	if (strcmp(got, want) != 0)
		printf("#   got {%s}\n", got);
}

/* ------------------------------------------------------ naive reference */

typedef struct
{
	double		c,
				s;
} Zone;

static int
ref_above(double x, Zone z, double k)
{
	return x > z.c + k * z.s;
}

static int
ref_below(double x, Zone z, double k)
{
	return x < z.c - k * z.s;
}

/* bits for point i of x[0..n), rescanning from scratch */
static uint32_t
ref_bits(const RulesConfig *cfg, const double *x, int i, Zone z)
{
	uint32_t	bits = 0;
	int			K;

	/* 1 */
	if (ref_above(x[i], z, cfg->k[0]) || ref_below(x[i], z, cfg->k[0]))
		bits |= 1u << 0;

	/* 2: the last K all above, or all below */
	K = cfg->k[1];
	if (i + 1 >= K)
	{
		int			up = 1,
					dn = 1;

		for (int j = i - K + 1; j <= i; j++)
		{
			up &= x[j] > z.c;
			dn &= x[j] < z.c;
		}
		if (up || dn)
			bits |= 1u << 1;
	}

	/* 3: the last K points strictly increasing, or strictly decreasing */
	K = cfg->k[2];
	if (i + 1 >= K)
	{
		int			inc = 1,
					dec = 1;

		for (int j = i - K + 2; j <= i; j++)
		{
			inc &= x[j] > x[j - 1];
			dec &= x[j] < x[j - 1];
		}
		if (inc || dec)
			bits |= 1u << 2;
	}

	/* 4: the last K points alternate: K-1 nonzero steps, signs alternating */
	K = cfg->k[3];
	if (i + 1 >= K)
	{
		int			ok = 1;

		for (int j = i - K + 2; j <= i; j++)
		{
			if (x[j] == x[j - 1])
				ok = 0;
			if (j > i - K + 2)
			{
				int			d1 = x[j] > x[j - 1];
				int			d0 = x[j - 1] > x[j - 2];

				if (d1 == d0)
					ok = 0;
			}
		}
		if (ok)
			bits |= 1u << 3;
	}

	/* 5, 6: this point beyond, and >= K of the last K+1 beyond, same side */
	for (int t = 5; t <= 6; t++)
	{
		double		zk = t == 5 ? 2.0 : 1.0;
		int			Kt = cfg->k[t - 1];
		int			from = i - Kt < 0 ? 0 : i - Kt;
		int			na = 0,
					nb = 0;

		for (int j = from; j <= i; j++)
		{
			na += ref_above(x[j], z, zk);
			nb += ref_below(x[j], z, zk);
		}
		if ((ref_above(x[i], z, zk) && na >= Kt) ||
			(ref_below(x[i], z, zk) && nb >= Kt))
			bits |= 1u << (t - 1);
	}

	/* 7: the last K within 1 sigma; 8: the last K beyond 1 sigma */
	K = cfg->k[6];
	if (i + 1 >= K)
	{
		int			ok = 1;

		for (int j = i - K + 1; j <= i; j++)
			ok &= !ref_above(x[j], z, 1.0) && !ref_below(x[j], z, 1.0);
		if (ok)
			bits |= 1u << 6;
	}
	K = cfg->k[7];
	if (i + 1 >= K)
	{
		int			ok = 1;

		for (int j = i - K + 1; j <= i; j++)
			ok &= ref_above(x[j], z, 1.0) || ref_below(x[j], z, 1.0);
		if (ok)
			bits |= 1u << 7;
	}
	return bits & cfg->tests;
}

/* ------------------------------------------------------- random series */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t
rng_next(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static double
rng_unif(void)
{
	return (double) (rng_next() >> 11) / 9007199254740992.0;
}

static int
rng_int(int lo, int hi)
{
	return lo + (int) (rng_next() % (uint64_t) (hi - lo + 1));
}

static double
rng_norm(void)
{
	/* sum of 12 uniforms - 6: close enough to normal for test data */
	double		s = 0;

	for (int i = 0; i < 12; i++)
		s += rng_unif();
	return s - 6.0;
}

/*
 * A series in z units (centre 0, sigma 1) made of segments: in control,
 * shifted mean, trend, alternation, stratification, mixture; optionally
 * quantised to a 0.25 grid so that ties and exact zone boundaries
 * (1, 2, 3 sigma and the centre line) occur often.
 */
static int
gen_series(double *x, int maxn)
{
	int			n = rng_int(1, maxn);
	int			quant = rng_int(0, 2) == 0;
	int			i = 0;

	while (i < n)
	{
		int			len = rng_int(1, 30);
		int			kind = rng_int(0, 6);
		double		shift = (rng_unif() - 0.5) * 4.0;
		double		slope = (rng_unif() - 0.5) * 0.8;
		double		base = rng_norm();

		for (int j = 0; j < len && i < n; j++, i++)
		{
			double		v;

			switch (kind)
			{
				case 0:
					v = rng_norm();
					break;
				case 1:
					v = shift + 0.5 * rng_norm();
					break;
				case 2:
					v = base + slope * j + 0.05 * rng_norm();
					break;
				case 3:
					v = shift + ((j & 1) ? 1.0 : -1.0) * (0.5 + rng_unif());
					break;
				case 4:
					v = 0.3 * rng_norm();
					break;
				case 5:
					v = (rng_unif() < 0.5 ? -2.0 : 2.0) + 0.4 * rng_norm();
					break;
				default:
					/* exact boundaries and ties */
					v = (double) rng_int(-14, 14) * 0.25;
					break;
			}
			if (quant)
				v = (double) (long) (v * 4.0) / 4.0;
			x[i] = v;
		}
	}
	return n;
}

static void
random_config(RulesConfig *cfg)
{
	cfg->tests = (uint32_t) rng_int(1, 255);
	if (rng_int(0, 3) == 0)
		cfg->tests = RULES_ALL;
	for (int t = 0; t < RULES_NTESTS; t++)
		cfg->k[t] = rng_int(rules_k_min[t], rules_k_max[t]);
	if (rng_int(0, 3) == 0)
		rules_config_nelson(cfg);
}

/* ------------------------------------------------------------------ main */

int
main(void)
{
	RulesConfig nelson,
				we,
				cfg;

	(void) tap_near;
	rules_config_nelson(&nelson);
	rules_config_western_electric(&we);

	/* ---- configuration ---- */
	tap_ok(rules_config_check(&nelson) == 0, "Nelson defaults are valid");
	tap_ok(rules_config_check(&we) == 0, "Western Electric set is valid");
	tap_ok(we.tests == 0x33 && we.k[1] == 8,
		   "Western Electric = tests 1, 2, 5, 6 (bits 0x33) with test 2 K = 8");
	for (int t = 0; t < RULES_NTESTS; t++)
	{
		cfg = nelson;
		cfg.k[t] = rules_k_min[t] - 1;
		tap_ok(rules_config_check(&cfg) == t + 1, "test %d: K below its range rejected", t + 1);
		cfg.k[t] = rules_k_max[t] + 1;
		tap_ok(rules_config_check(&cfg) == t + 1, "test %d: K above its range rejected", t + 1);
		cfg.k[t] = rules_k_max[t];
		tap_ok(rules_config_check(&cfg) == 0, "test %d: K at the top of its range accepted", t + 1);
	}
	cfg = nelson;
	cfg.tests = 0x100;
	tap_ok(rules_config_check(&cfg) == -1, "a test bit above test 8 is rejected");

	/* ---- test 1: one point beyond 3 sigma ---- */
	{
		/* point 3 is at exactly +3 sigma: on the limit, not beyond; point 4
		 * at 3.01 and point 6 at -3.5 are beyond. */
		double		x[] = {0.5, -1, 3.0, 3.01, 0, -3.5, -3.0};

		expect_flags(&nelson, x, 7, 1, "4,6", "test 1 (K=3)");
		cfg = nelson;
		cfg.k[0] = 2;
		/* with K = 2: 3.0, 3.01, -3.5, -3.0 are beyond 2 sigma */
		expect_flags(&cfg, x, 7, 1, "3,4,6,7", "test 1 (K=2)");
	}

	/* ---- test 2: nine in a row on one side ---- */
	{
		/* points 1-9 above: the 9th completes the run; 10 and 11 extend it
		 * (each ends a run of 9 or more); 12 is exactly on the centre line
		 * and breaks it; 13-20 are 8 below (not enough); 21 is the 9th below. */
		double		x[] = {0.1, 0.2, 1, 2, 0.5, 0.3, 0.1, 0.9, 0.4, 0.2, 0.1,
			0, -0.1, -1, -2, -0.5, -0.3, -0.2, -0.9, -0.4, -0.3};

		expect_flags(&nelson, x, 21, 2, "9,10,11,21", "test 2 (K=9)");
		/* Western Electric rule 4: 8 in a row -> points 8..11 and 20, 21 */
		expect_flags(&we, x, 21, 2, "8,9,10,11,20,21", "WE rule 4 (test 2, K=8)");
	}

	/* ---- test 3: six in a row increasing or decreasing ---- */
	{
		/* 1..6 strictly increasing: point 6 completes (5 rises); 7 extends;
		 * 8 equals 7 (tie): trend broken, 8 starts a new run; 8..13 falling
		 * would be 6 points, but 8 is the tie point so the run 8..13 is
		 * 8,9,10,11,12,13 = 6 points of strict decrease: 13 completes. */
		double		x[] = {-1, -0.8, -0.5, 0, 0.2, 0.9, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2, 0.0};

		expect_flags(&nelson, x, 13, 3, "6,7,13", "test 3 (K=6), tie breaks the trend");
		/* a tie in the middle: 5 rises, tie, 5 rises -> never 6 points */
		double		y[] = {0, 0.1, 0.2, 0.3, 0.4, 0.4, 0.5, 0.6, 0.7, 0.8};

		expect_flags(&nelson, y, 10, 3, "", "test 3: equal values break the trend");
	}

	/* ---- test 4: fourteen in a row alternating ---- */
	{
		/* 16 points alternating up/down: point 14 completes (13 alternating
		 * steps), 15 and 16 extend.  Then 17 repeats 16 (tie) and breaks it. */
		double		x[18];

		for (int i = 0; i < 16; i++)
			x[i] = (i % 2) ? 0.5 : -0.5;
		x[16] = x[15];
		x[17] = -x[15];
		expect_flags(&nelson, x, 18, 4, "14,15,16", "test 4 (K=14), tie breaks the alternation");
		/* two steps in the same direction break it: 13 points only */
		double		y[15];

		for (int i = 0; i < 15; i++)
			y[i] = (i % 2) ? 1.0 : 0.0;
		y[7] = 2.0;				/* 6 -> 7 up, 7 -> 8: y[6]=0 -> y[7]=2 up... */
		/* y: 0,1,0,1,0,1,0,2,0,1,... steps still alternate (0->2 up, 2->0 down) */
		expect_flags(&nelson, y, 15, 4, "14,15", "test 4 ignores the size of the steps");
		y[8] = 3.0;				/* 0,1,0,1,0,1,0,2,3: 2 -> 3 is a second rise */
		/* run restarts at point 8 (index 7): points 8..15 = 8 < 14 */
		expect_flags(&nelson, y, 15, 4, "", "test 4: two rises in a row break it");
	}

	/* ---- test 5: two out of three beyond 2 sigma, same side ---- */
	{
		/* 1: 2.5 (beyond +2), 2: 0, 3: 2.1 -> 2 of the 3 points 1..3 beyond
		 * on the upper side, point 3 completes.  4: 0.5 (inside, not flagged
		 * even though 2 of 2..4 are beyond: it completes nothing).  5: -2.5,
		 * 6: 2.2 -> upper 2 of 4..6? only point 6 (3 is outside the window):
		 * no.  7: -2.1 -> lower: 5 and 7 in 5..7: flagged.  8: 2.0 is exactly
		 * on 2 sigma: not beyond. */
		double		x[] = {2.5, 0, 2.1, 0.5, -2.5, 2.2, -2.1, 2.0};

		expect_flags(&nelson, x, 8, 5, "3,7", "test 5 (K=2 of 3)");
	}

	/* ---- test 6: four out of five beyond 1 sigma, same side ---- */
	{
		/* 1.5, 1.2, 0.5, 1.1, 1.9: points 1,2,4,5 beyond +1 -> point 5; then
		 * 6: 1.3 -> window 2..6 has 2,4,5,6 -> flagged; 7: -1.5 (other side:
		 * no); 8: 1.0 exactly on 1 sigma -> not beyond. */
		double		x[] = {1.5, 1.2, 0.5, 1.1, 1.9, 1.3, -1.5, 1.0};

		expect_flags(&nelson, x, 8, 6, "5,6", "test 6 (K=4 of 5)");
		/* WE rule 3 is the same test */
		expect_flags(&we, x, 8, 6, "5,6", "WE rule 3 (test 6, K=4)");
	}

	/* ---- test 7: fifteen in a row within 1 sigma ---- */
	{
		/* 16 points with |z| <= 1 (including 0 and exactly +-1): point 15
		 * completes, 16 extends; 17 at 1.01 breaks it. */
		double		x[17];

		for (int i = 0; i < 16; i++)
			x[i] = (i % 3 == 0) ? 1.0 : ((i % 3 == 1) ? -1.0 : 0.0);
		x[16] = 1.01;
		expect_flags(&nelson, x, 17, 7, "15,16", "test 7 (K=15), 1 sigma counts as within");
	}

	/* ---- test 8: eight in a row beyond 1 sigma, either side ---- */
	{
		/* alternating +-1.5: every point beyond 1 sigma, on both sides; point
		 * 8 completes, 9 extends; 10 at 0.5 breaks; 11..17 = 7 beyond: no. */
		double		x[17];

		for (int i = 0; i < 9; i++)
			x[i] = (i % 2) ? -1.5 : 1.5;
		x[9] = 0.5;
		for (int i = 10; i < 17; i++)
			x[i] = (i % 2) ? -1.2 : 1.2;
		expect_flags(&nelson, x, 17, 8, "8,9", "test 8 (K=8), both sides count");
	}

	/* ---- a run completes at the point, whatever tests are enabled ---- */
	{
		double		x[] = {3.5};
		uint32_t	b[1];

		cfg = nelson;
		cfg.tests = RULES_T2;
		run_engine(&cfg, x, 1, 0, 1, b);
		tap_ok(b[0] == 0, "disabled tests never appear in the result");
	}

	/* ---- limits variant ---- */
	{
		RulesState	st;
		RulesPoint	p;

		/* p chart, pbar = 0.02, n = 50: sigma = 0.0198, LCL clamped to 0 */
		double		c = 0.02,
					ucl = 0.02 + 3 * 0.0198;

		tap_ok(rules_limits_check(0, c, ucl) == 0, "lcl <= centre < ucl accepted");
		tap_ok(rules_limits_check(0.03, c, ucl) != 0, "lcl above the centre rejected");
		tap_ok(rules_limits_check(0, c, c) != 0, "ucl equal to the centre rejected");
		rules_state_init(&st);
		rules_point_limits(&p, &nelson, ucl, 0, c, ucl);
		tap_ok(rules_push(&st, &nelson, &p) == 0, "a point exactly on the UCL is not beyond it");
		rules_point_limits(&p, &nelson, 0.0, 0, c, ucl);
		tap_ok((rules_push(&st, &nelson, &p) & RULES_T1) == 0,
			   "a zero proportion is not below a clamped LCL of 0");
		/* 0 is -1.0101 sigma: beyond 1 sigma, not 2 (zones use the true sigma) */
		tap_ok(p.lo2 < 0 && p.lo1 > 0, "zones below the centre use sigma = (ucl - centre)/3");
	}

	/* ---- exact thresholds: value c + 3 sigma computed like a user would ---- */
	{
		RulesState	st;
		RulesPoint	p;
		double		c = 10.1,
					s = 0.07;

		rules_state_init(&st);
		rules_point_sigma(&p, &nelson, c + 3 * s, c, s);
		tap_ok((rules_push(&st, &nelson, &p) & RULES_T1) == 0,
			   "value = centre + 3*sigma (same double arithmetic) is not beyond");
	}

	/* ---- random series against the naive reference ---- */
	{
		enum
		{
			NSERIES = 6000, MAXN = 300
		};
		static double x[MAXN];
		long		points = 0,
					mism = 0,
					flags = 0,
					badstate = 0;
		long		per_test[RULES_NTESTS] = {0};
		int			first_bad = -1;

		for (int s = 0; s < NSERIES; s++)
		{
			int			n = gen_series(x, MAXN);
			RulesState	st,
						copy;
			Zone		z = {0.0, 1.0};

			random_config(&cfg);
			/* every third series in real units: centre 74, sigma 0.013 */
			if (s % 3 == 2)
			{
				z.c = 74.0;
				z.s = 0.013;
				for (int i = 0; i < n; i++)
					x[i] = z.c + x[i] * z.s;
			}
			rules_state_init(&st);
			for (int i = 0; i < n; i++)
			{
				RulesPoint	p;
				uint32_t	got,
							want;

				rules_point_sigma(&p, &cfg, x[i], z.c, z.s);
				/* the state survives encode / decode (the trigger stores it) */
				{
					uint8_t		buf[RULES_STATE_BYTES];

					rules_state_encode(&st, buf);
					memset(&copy, 0xA5, sizeof copy);
					if (rules_state_decode(&copy, buf, RULES_STATE_BYTES) != 0)
						badstate++;
				}
				got = rules_push(&copy, &cfg, &p);
				memcpy(&st, &copy, sizeof st);
				want = ref_bits(&cfg, x, i, z);
				points++;
				if (!rules_state_valid(&st))
					badstate++;
				if (got != want)
				{
					if (first_bad < 0)
					{
						first_bad = s;
						printf("# series %d point %d: got 0x%x want 0x%x (x=%.17g)\n",
							   s, i + 1, got, want, x[i]);
					}
					mism++;
				}
				if (want)
					flags++;
				for (int t = 0; t < RULES_NTESTS; t++)
					per_test[t] += (want >> t) & 1;
			}
		}
		tap_ok(mism == 0, "engine = naive reference on %d random series (%ld points, %ld flagged)",
			   NSERIES, points, flags);
		tap_ok(badstate == 0, "state passes rules_state_valid after every point");
		for (int t = 0; t < RULES_NTESTS; t++)
			tap_ok(per_test[t] > 200, "random series exercise test %d (%ld flags)", t + 1, per_test[t]);
	}

	/* ---- rules_state_valid rejects garbage ---- */
	{
		RulesState	st;

		rules_state_init(&st);
		tap_ok(rules_state_valid(&st), "a fresh state is valid");
		st.side_run = 3;
		tap_ok(!rules_state_valid(&st), "a run with no points is invalid");
		rules_state_init(&st);
		st.n = 5;
		st.trend_run = 2;
		st.alt_run = 2;
		st.prev_dir = 1;
		st.within1_run = 1;
		tap_ok(rules_state_valid(&st), "a consistent state is valid");
		st.a2 = 1;
		tap_ok(!rules_state_valid(&st), "beyond 2 sigma without beyond 1 sigma is invalid");
		st.a2 = 0;
		st.prev = 1.0 / 0.0;
		tap_ok(!rules_state_valid(&st), "an infinite previous value is invalid");
		st.prev = 0.5;
		{
			uint8_t		buf[RULES_STATE_BYTES];
			RulesState	back;

			rules_state_encode(&st, buf);
			tap_ok(rules_state_decode(&back, buf, RULES_STATE_BYTES) == 0 &&
				   memcmp(&back, &st, sizeof st) == 0, "encode / decode round trip");
			tap_ok(rules_state_decode(&back, buf, RULES_STATE_BYTES - 1) != 0,
				   "a short encoding is rejected");
			buf[0] = 2;
			tap_ok(rules_state_decode(&back, buf, RULES_STATE_BYTES) != 0,
				   "an unknown version is rejected");
			buf[0] = RULES_STATE_VERSION;
			buf[RULES_STATE_BYTES - 1] = 0xFF;	/* b1 low byte: 8 bits set, also in b1 & ~a... */
			buf[RULES_STATE_BYTES - 5] = 0xFF;	/* a1 = 0xFF overlapping b1 */
			tap_ok(rules_state_decode(&back, buf, RULES_STATE_BYTES) != 0,
				   "an inconsistent encoding (above and below at once) is rejected");
		}
	}

	return tap_done();
}
