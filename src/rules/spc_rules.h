/*
 * spc_rules.h: streaming engine for the eight tests for special causes
 * (Nelson 1984 / Minitab numbering) and the Western Electric rules.
 *
 * Pure computation (no PostgreSQL headers).  One RulesState per chart
 * (partition); feed the points in chart order with rules_push(); each call
 * returns the bit set of the tests that THIS point completes (bit i-1 set
 * for test i), Minitab's convention: a point is flagged when the pattern
 * ending at it is complete, so a run longer than K flags every point from
 * the K-th on.  Work and memory are O(1) per point: run counters and bit
 * windows of at most 7 bits, never a rescan of the last K points.
 *
 * The tests (K = run length, defaults in brackets, allowed range as in
 * Minitab's Tests dialog):
 *   1  1 point more than K sigma from the centre line            [3]  1..6
 *   2  K points in a row on the same side of the centre line     [9]  7..11
 *   3  K points in a row, all increasing or all decreasing       [6]  5..8
 *   4  K points in a row, alternating up and down                [14] 12..14
 *   5  K out of K+1 points more than 2 sigma from the centre
 *      line, same side                                           [2]  2..4
 *   6  K out of K+1 points more than 1 sigma, same side          [4]  3..6
 *   7  K points in a row within 1 sigma of the centre line
 *      (either side)                                             [15] 12..15
 *   8  K points in a row more than 1 sigma from the centre line
 *      (either side)                                             [8]  6..10
 *
 * Western Electric (1956) rules map onto the same bits:
 *   WE 1 (1 beyond 3 sigma)                 -> test 1 (bit 0), K = 3
 *   WE 2 (2 of 3 beyond 2 sigma, same side) -> test 5 (bit 4), K = 2
 *   WE 3 (4 of 5 beyond 1 sigma, same side) -> test 6 (bit 5), K = 4
 *   WE 4 (8 in a row on one side)           -> test 2 (bit 1), K = 8
 *
 * Conventions (all strict comparisons, in double precision):
 *   - "more than k sigma" is value > centre + k sigma (or < centre - k sigma);
 *     a point exactly on a zone boundary is not beyond it.  "Within 1 sigma"
 *     (test 7) is the complement of "more than 1 sigma", so a point exactly
 *     on the 1-sigma line is within.
 *   - A point exactly on the centre line is on neither side: it breaks a
 *     test 2 run (and never counts towards tests 5 or 6).
 *   - Ties: two equal consecutive values are neither an increase nor a
 *     decrease; they break a test 3 trend and a test 4 alternation.  The
 *     second of the two equal points starts a new run of length 1.
 *   - Tests 5 and 6: the point that completes the pattern must itself be
 *     beyond the zone on that side (a point inside the zone cannot complete
 *     "K of K+1 beyond", the pattern was complete at an earlier point).
 *   - Test 1 with limits (rules_point_limits): the side's own limit scaled by
 *     K/3 about the centre; with K = 3 exactly value > ucl or value < lcl, so
 *     a clamped LCL of 0 is honoured.  Zones of tests 5 to 8 use
 *     sigma = (ucl - centre) / 3 on both sides.
 */
#ifndef QE_SPC_RULES_H
#define QE_SPC_RULES_H

#include <stdint.h>

#define RULES_NTESTS 8
#define RULES_ALL ((uint32_t) 0xFF)

/* Test bits (bit i-1 = test i). */
#define RULES_T1 (1u << 0)
#define RULES_T2 (1u << 1)
#define RULES_T3 (1u << 2)
#define RULES_T4 (1u << 3)
#define RULES_T5 (1u << 4)
#define RULES_T6 (1u << 5)
#define RULES_T7 (1u << 6)
#define RULES_T8 (1u << 7)

/* Which tests run and their K values (k[0] is test 1's K, ...). */
typedef struct RulesConfig
{
	uint32_t	tests;			/* enabled tests, bit i-1 = test i */
	int32_t		k[RULES_NTESTS];
} RulesConfig;

/*
 * The streaming state of one chart.  Fixed size, no pointers: it can be
 * copied, stored (the trigger persists it as bytea) and zero-initialised
 * (all zero = no point seen yet).
 */
typedef struct RulesState
{
	int64_t		n;				/* points pushed */
	double		prev;			/* previous value (valid when n > 0) */
	int32_t		side_run;		/* > 0: points in a row above; < 0: below */
	int32_t		trend_run;		/* points in the current monotone run */
	int32_t		alt_run;		/* points in the current alternating run */
	int32_t		prev_dir;		/* sign of the last difference: -1, 0, +1 */
	int32_t		within1_run;	/* points in a row within 1 sigma */
	int32_t		beyond1_run;	/* points in a row beyond 1 sigma */
	uint32_t	a2;				/* bit j: point j back is > +2 sigma */
	uint32_t	b2;				/* bit j: point j back is < -2 sigma */
	uint32_t	a1;				/* bit j: point j back is > +1 sigma */
	uint32_t	b1;				/* bit j: point j back is < -1 sigma */
} RulesState;

/* One point with its zone boundaries, as the engine consumes it. */
typedef struct RulesPoint
{
	double		x;				/* plotted value */
	double		c;				/* centre line */
	double		lo1,
				up1;			/* centre -/+ 1 sigma */
	double		lo2,
				up2;			/* centre -/+ 2 sigma */
	double		lok,
				upk;			/* test 1 bounds: centre -/+ K sigma */
} RulesPoint;

/* Allowed range and default of each test's K (index 0 = test 1). */
extern const int32_t rules_k_min[RULES_NTESTS];
extern const int32_t rules_k_max[RULES_NTESTS];
extern const int32_t rules_k_default[RULES_NTESTS];

/* Short names (index 0 = test 1) used by qe.rule_names(). */
extern const char *const rules_test_names[RULES_NTESTS];

/* All eight tests with their default K (Nelson / Minitab "all tests"). */
extern void rules_config_nelson(RulesConfig *cfg);

/* Western Electric rules 1-4: tests 1, 2 (K = 8), 5, 6. */
extern void rules_config_western_electric(RulesConfig *cfg);

/*
 * 0 if the configuration is valid; otherwise the number (1..8) of the first
 * test whose K is out of range, or -1 if tests has bits above bit 7.
 */
extern int	rules_config_check(const RulesConfig *cfg);

/* Zone boundaries from a centre and a sigma (sigma > 0, all finite). */
extern void rules_point_sigma(RulesPoint *p, const RulesConfig *cfg,
							  double x, double c, double sigma);

/*
 * Zone boundaries from a row's own limits: sigma = (ucl - c) / 3; test 1 uses
 * each side's own limit scaled by K/3 (exactly lcl / ucl when K = 3).
 * Requires lcl <= c < ucl (rules_limits_check).
 */
extern void rules_point_limits(RulesPoint *p, const RulesConfig *cfg,
							   double x, double lcl, double c, double ucl);

/* 0 if lcl <= c < ucl, else nonzero. */
extern int	rules_limits_check(double lcl, double c, double ucl);

/* Reset to "no point seen". */
extern void rules_state_init(RulesState *st);

/*
 * Push the next point of the chart; returns the tests it completes (only
 * enabled ones).
 */
extern uint32_t rules_push(RulesState *st, const RulesConfig *cfg,
						   const RulesPoint *p);

/*
 * 1 if a state read from storage is internally consistent (counters in
 * range, windows within their width), 0 otherwise.
 */
extern int	rules_state_valid(const RulesState *st);

/*
 * Portable serialisation of a state (the trigger keeps it in a bytea):
 * a version byte then every field big-endian, RULES_STATE_BYTES in all.
 * rules_state_decode returns 0 on success, -1 if the bytes are not a valid
 * state (wrong length or version, or rules_state_valid fails).
 */
#define RULES_STATE_VERSION 1
#define RULES_STATE_BYTES 57
extern void rules_state_encode(const RulesState *st, uint8_t *buf);
extern int	rules_state_decode(RulesState *st, const uint8_t *buf, int64_t len);

#endif
