/*
 * spc_rules.c: streaming tests for special causes (see spc_rules.h for the
 * definitions and conventions).  Pure computation, no PostgreSQL headers.
 */
#include "rules/spc_rules.h"

#include <string.h>

/* Run counters saturate here: above every K, so ">= K" stays exact. */
#define RULES_RUN_CAP 1024

/* The bit windows keep the last 8 points (test 6 needs at most 7). */
#define RULES_WINDOW_MASK 0xFFu

const int32_t rules_k_min[RULES_NTESTS] = {1, 7, 5, 12, 2, 3, 12, 6};
const int32_t rules_k_max[RULES_NTESTS] = {6, 11, 8, 14, 4, 6, 15, 10};
const int32_t rules_k_default[RULES_NTESTS] = {3, 9, 6, 14, 2, 4, 15, 8};

const char *const rules_test_names[RULES_NTESTS] = {
	"beyond_limits",			/* 1: 1 point > K sigma */
	"run",						/* 2: K in a row on one side */
	"trend",					/* 3: K in a row increasing or decreasing */
	"alternating",				/* 4: K in a row alternating up and down */
	"zone_a",					/* 5: K of K+1 > 2 sigma, same side */
	"zone_b",					/* 6: K of K+1 > 1 sigma, same side */
	"stratification",			/* 7: K in a row within 1 sigma */
	"mixture"					/* 8: K in a row > 1 sigma, either side */
};

void
rules_config_nelson(RulesConfig *cfg)
{
	cfg->tests = RULES_ALL;
	memcpy(cfg->k, rules_k_default, sizeof cfg->k);
}

void
rules_config_western_electric(RulesConfig *cfg)
{
	cfg->tests = RULES_T1 | RULES_T2 | RULES_T5 | RULES_T6;
	memcpy(cfg->k, rules_k_default, sizeof cfg->k);
	cfg->k[1] = 8;
}

int
rules_config_check(const RulesConfig *cfg)
{
	if (cfg->tests & ~RULES_ALL)
		return -1;
	for (int i = 0; i < RULES_NTESTS; i++)
		if (cfg->k[i] < rules_k_min[i] || cfg->k[i] > rules_k_max[i])
			return i + 1;
	return 0;
}

void
rules_point_sigma(RulesPoint *p, const RulesConfig *cfg,
				  double x, double c, double sigma)
{
	double		s2 = 2.0 * sigma;
	double		sk = (double) cfg->k[0] * sigma;

	p->x = x;
	p->c = c;
	p->lo1 = c - sigma;
	p->up1 = c + sigma;
	p->lo2 = c - s2;
	p->up2 = c + s2;
	p->lok = c - sk;
	p->upk = c + sk;
}

int
rules_limits_check(double lcl, double c, double ucl)
{
	return !(lcl <= c && c < ucl);
}

void
rules_point_limits(RulesPoint *p, const RulesConfig *cfg,
				   double x, double lcl, double c, double ucl)
{
	double		sigma = (ucl - c) / 3.0;
	double		s2 = 2.0 * sigma;
	int32_t		k = cfg->k[0];

	p->x = x;
	p->c = c;
	p->lo1 = c - sigma;
	p->up1 = c + sigma;
	p->lo2 = c - s2;
	p->up2 = c + s2;
	if (k == 3)
	{
		/* the limits exactly as given (a clamped LCL included) */
		p->lok = lcl;
		p->upk = ucl;
	}
	else
	{
		p->lok = c - (double) k * ((c - lcl) / 3.0);
		p->upk = c + (double) k * sigma;
	}
}

void
rules_state_init(RulesState *st)
{
	memset(st, 0, sizeof *st);
}

static inline int32_t
run_inc(int32_t r)
{
	return r < RULES_RUN_CAP ? r + 1 : RULES_RUN_CAP;
}

static inline int
window_count(uint32_t w, int32_t width)
{
	return __builtin_popcount(w & ((1u << width) - 1u));
}

uint32_t
rules_push(RulesState *st, const RulesConfig *cfg, const RulesPoint *p)
{
	const double x = p->x;
	const double c = p->c;
	const int	above1 = x > p->up1;
	const int	below1 = x < p->lo1;
	const int	above2 = x > p->up2;
	const int	below2 = x < p->lo2;
	uint32_t	bits = 0;

	/* test 1: beyond K sigma (the control limits when K = 3) */
	if (x > p->upk || x < p->lok)
		bits |= RULES_T1;

	/* test 2: side of the centre line; on the line breaks the run */
	if (x > c)
		st->side_run = st->side_run > 0 ? run_inc(st->side_run) : 1;
	else if (x < c)
		st->side_run = st->side_run < 0 ? -run_inc(-st->side_run) : -1;
	else
		st->side_run = 0;
	if (st->side_run >= cfg->k[1] || -st->side_run >= cfg->k[1])
		bits |= RULES_T2;

	/* tests 3 and 4: direction of the step from the previous point */
	if (st->n == 0)
	{
		st->trend_run = 1;
		st->alt_run = 1;
		st->prev_dir = 0;
	}
	else
	{
		int32_t		dir = (x > st->prev) - (x < st->prev);

		if (dir == 0)
		{
			/* a tie is neither up nor down: both runs restart here */
			st->trend_run = 1;
			st->alt_run = 1;
		}
		else
		{
			st->trend_run = dir == st->prev_dir ? run_inc(st->trend_run) : 2;
			st->alt_run = dir == -st->prev_dir ? run_inc(st->alt_run) : 2;
		}
		st->prev_dir = dir;
	}
	if (st->trend_run >= cfg->k[2])
		bits |= RULES_T3;
	if (st->alt_run >= cfg->k[3])
		bits |= RULES_T4;

	/* tests 5 and 6: K of the last K+1 beyond 2 (1) sigma, same side */
	st->a2 = ((st->a2 << 1) | (uint32_t) above2) & RULES_WINDOW_MASK;
	st->b2 = ((st->b2 << 1) | (uint32_t) below2) & RULES_WINDOW_MASK;
	st->a1 = ((st->a1 << 1) | (uint32_t) above1) & RULES_WINDOW_MASK;
	st->b1 = ((st->b1 << 1) | (uint32_t) below1) & RULES_WINDOW_MASK;
	if ((above2 && window_count(st->a2, cfg->k[4] + 1) >= cfg->k[4]) ||
		(below2 && window_count(st->b2, cfg->k[4] + 1) >= cfg->k[4]))
		bits |= RULES_T5;
	if ((above1 && window_count(st->a1, cfg->k[5] + 1) >= cfg->k[5]) ||
		(below1 && window_count(st->b1, cfg->k[5] + 1) >= cfg->k[5]))
		bits |= RULES_T6;

	/* tests 7 and 8: within / beyond 1 sigma, either side */
	if (above1 || below1)
	{
		st->within1_run = 0;
		st->beyond1_run = run_inc(st->beyond1_run);
	}
	else
	{
		st->within1_run = run_inc(st->within1_run);
		st->beyond1_run = 0;
	}
	if (st->within1_run >= cfg->k[6])
		bits |= RULES_T7;
	if (st->beyond1_run >= cfg->k[7])
		bits |= RULES_T8;

	st->prev = x;
	if (st->n < INT64_MAX)
		st->n++;
	return bits & cfg->tests;
}

int
rules_state_valid(const RulesState *st)
{
	if (st->n < 0)
		return 0;
	if (st->n == 0)
		return st->side_run == 0 && st->trend_run == 0 && st->alt_run == 0 &&
			st->prev_dir == 0 && st->within1_run == 0 && st->beyond1_run == 0 &&
			st->a2 == 0 && st->b2 == 0 && st->a1 == 0 && st->b1 == 0;
	if (st->prev != st->prev || st->prev - st->prev != 0.0)
		return 0;				/* NaN or infinite */
	if (st->side_run < -RULES_RUN_CAP || st->side_run > RULES_RUN_CAP)
		return 0;
	if (st->trend_run < 1 || st->trend_run > RULES_RUN_CAP ||
		st->alt_run < 1 || st->alt_run > RULES_RUN_CAP)
		return 0;
	if (st->prev_dir < -1 || st->prev_dir > 1)
		return 0;
	if ((st->prev_dir == 0) != (st->trend_run == 1) ||
		(st->prev_dir == 0) != (st->alt_run == 1))
		return 0;
	if (st->within1_run < 0 || st->within1_run > RULES_RUN_CAP ||
		st->beyond1_run < 0 || st->beyond1_run > RULES_RUN_CAP ||
		(st->within1_run == 0) == (st->beyond1_run == 0))
		return 0;
	if ((st->a2 | st->b2 | st->a1 | st->b1) & ~RULES_WINDOW_MASK)
		return 0;
	if ((st->a2 & st->b2) || (st->a1 & st->b1) ||
		(st->a2 & ~st->a1) || (st->b2 & ~st->b1))
		return 0;
	return 1;
}

/* ------------------------------------------------------ serialisation */

static uint8_t *
put_u64(uint8_t *b, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		*b++ = (uint8_t) (v >> (8 * i));
	return b;
}

static uint8_t *
put_u32(uint8_t *b, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		*b++ = (uint8_t) (v >> (8 * i));
	return b;
}

static const uint8_t *
get_u64(const uint8_t *b, uint64_t *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++)
		*v = (*v << 8) | *b++;
	return b;
}

static const uint8_t *
get_u32(const uint8_t *b, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++)
		*v = (*v << 8) | *b++;
	return b;
}

void
rules_state_encode(const RulesState *st, uint8_t *buf)
{
	uint64_t	bits;
	uint8_t    *b = buf;

	*b++ = RULES_STATE_VERSION;
	b = put_u64(b, (uint64_t) st->n);
	memcpy(&bits, &st->prev, sizeof bits);
	b = put_u64(b, bits);
	b = put_u32(b, (uint32_t) st->side_run);
	b = put_u32(b, (uint32_t) st->trend_run);
	b = put_u32(b, (uint32_t) st->alt_run);
	b = put_u32(b, (uint32_t) st->prev_dir);
	b = put_u32(b, (uint32_t) st->within1_run);
	b = put_u32(b, (uint32_t) st->beyond1_run);
	b = put_u32(b, st->a2);
	b = put_u32(b, st->b2);
	b = put_u32(b, st->a1);
	(void) put_u32(b, st->b1);
}

int
rules_state_decode(RulesState *st, const uint8_t *buf, int64_t len)
{
	const uint8_t *b = buf;
	uint64_t	u64;
	uint32_t	u32;
	RulesState	s;

	if (len != RULES_STATE_BYTES || *b++ != RULES_STATE_VERSION)
		return -1;
	b = get_u64(b, &u64);
	s.n = (int64_t) u64;
	b = get_u64(b, &u64);
	memcpy(&s.prev, &u64, sizeof s.prev);
	b = get_u32(b, &u32);
	s.side_run = (int32_t) u32;
	b = get_u32(b, &u32);
	s.trend_run = (int32_t) u32;
	b = get_u32(b, &u32);
	s.alt_run = (int32_t) u32;
	b = get_u32(b, &u32);
	s.prev_dir = (int32_t) u32;
	b = get_u32(b, &u32);
	s.within1_run = (int32_t) u32;
	b = get_u32(b, &u32);
	s.beyond1_run = (int32_t) u32;
	b = get_u32(b, &s.a2);
	b = get_u32(b, &s.b2);
	b = get_u32(b, &s.a1);
	(void) get_u32(b, &s.b1);
	if (!rules_state_valid(&s))
		return -1;
	*st = s;
	return 0;
}
