/*
 * z14.c: the Z1.4 lookup: Table I, then the printed master table, following
 * its arrows ("use first sampling plan below / above arrow") to the plan
 * reached, whose sample size is the one to inspect; then the 100 % rule
 * ("if sample size equals, or exceeds, lot or batch size, do 100 percent
 * inspection").
 */
#include "sampling/z14.h"

#include <string.h>

const char *const smp_aql_names[SMP_Z14_NAQLS] = {
	"0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40",
	"0.65", "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
	"100", "150", "250", "400", "650", "1000"
};

const int64_t smp_aql_milli[SMP_Z14_NAQLS] = {
	10, 15, 25, 40, 65, 100, 150, 250, 400,
	650, 1000, 1500, 2500, 4000, 6500, 10000, 15000, 25000, 40000, 65000,
	100000, 150000, 250000, 400000, 650000, 1000000
};

const char *const smp_level_names[SMP_Z14_NLEVELS] = {
	"S-1", "S-2", "S-3", "S-4", "I", "II", "III"
};

const char *const smp_inspection_names[SMP_Z14_NINSPECTIONS] = {
	"normal", "tightened", "reduced"
};

const char *const smp_decision_names[3] = {
	"accept", "reject", "accept and return to normal inspection"
};

static inline int
lower_ascii(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* case-insensitive equality of s[0..len) with the NUL-terminated word */
static bool
word_eq(const char *s, size_t len, const char *word)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		if (word[i] == '\0' || lower_ascii((unsigned char) s[i]) != lower_ascii((unsigned char) word[i]))
			return false;
	}
	return word[i] == '\0';
}

int
smp_parse_aql(const char *s, size_t len)
{
	size_t		i = 0,
				end = len;
	int64_t		milli = 0;
	int			int_digits = 0,
				frac_digits = 0;

	if (s == NULL)
		return -1;
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	if (i < end && s[i] == '+')
		i++;
	/* integer part; leading zeros are free, at most 7 significant digits */
	for (; i < end && s[i] >= '0' && s[i] <= '9'; i++)
	{
		int_digits++;
		if (milli == 0 && s[i] == '0')
			continue;
		if (milli >= INT64_C(10000000))
			return -1;			/* far above 1000 */
		milli = milli * 10 + (s[i] - '0');
	}
	milli *= 1000;
	if (i < end && s[i] == '.')
	{
		int64_t		scale = 100;

		for (i++; i < end && s[i] >= '0' && s[i] <= '9'; i++)
		{
			frac_digits++;
			if (scale > 0)
			{
				milli += (s[i] - '0') * scale;
				scale /= 10;
			}
			else if (s[i] != '0')
				return -1;		/* finer than 0.001: not an AQL */
		}
	}
	if (i != end || int_digits + frac_digits == 0)
		return -1;
	for (int k = 0; k < SMP_Z14_NAQLS; k++)
		if (smp_aql_milli[k] == milli)
			return k;
	return -1;
}

int
smp_parse_level(const char *s, size_t len)
{
	static const char *const alt[SMP_Z14_NLEVELS] = {"S1", "S2", "S3", "S4", NULL, NULL, NULL};

	for (int k = 0; k < SMP_Z14_NLEVELS; k++)
		if (word_eq(s, len, smp_level_names[k]) || (alt[k] && word_eq(s, len, alt[k])))
			return k;
	return -1;
}

int
smp_parse_inspection(const char *s, size_t len)
{
	for (int k = 0; k < SMP_Z14_NINSPECTIONS; k++)
		if (word_eq(s, len, smp_inspection_names[k]))
			return k;
	return -1;
}

/* the range of 2^b, for smp_lot_range (z14.h) */
const uint8_t smp_z14_octave_range[64] = {
	0, 0, 0, 0, 2, 3, 4, 5, 6, 8, 8, 9, 10, 10, 11, 11,
	12, 12, 13, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
	14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
	14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14
};

int
smp_code_letter(int64_t lot_size, int level)
{
	int			r = smp_lot_range(lot_size);

	if (r < 0 || level < 0 || level >= SMP_Z14_NLEVELS)
		return -1;
	return smp_z14_code_letter[r][level];
}

int
smp_z14_resolve(int inspection, int letter, int aql)
{
	if (inspection < 0 || inspection >= SMP_Z14_NINSPECTIONS ||
		letter < 0 || letter >= SMP_Z14_NLETTERS || aql < 0 || aql >= SMP_Z14_NAQLS)
		return -1;
	/* an arrow never points past another arrow's plan: at most 16 steps */
	for (int steps = 0; steps < SMP_Z14_NLETTERS; steps++)
	{
		switch (smp_z14_table[inspection][letter][aql].kind)
		{
			case SMP_CELL_PLAN:
				return letter;
			case SMP_CELL_UP:
				letter--;
				break;
			case SMP_CELL_DOWN:
				letter++;
				break;
			default:
				return -1;
		}
		if (letter < 0 || letter >= SMP_Z14_NLETTERS)
			return -1;
	}
	return -1;
}

int
smp_aql_plan(int64_t lot_size, int level, int aql, int inspection, SmpPlan *out)
{
	int			letter = smp_code_letter(lot_size, level);
	int			plan;
	const SmpZ14Cell *cell;

	if (letter < 0 || out == NULL)
		return -1;
	plan = smp_z14_resolve(inspection, letter, aql);
	if (plan < 0)
		return -1;
	cell = &smp_z14_table[inspection][plan][aql];
	out->lot_size = lot_size;
	out->level = level;
	out->inspection = inspection;
	out->aql = aql;
	out->code_letter = letter;
	out->plan_letter = plan;
	out->table_sample_size = smp_z14_sample_size[inspection][plan];
	out->ac = cell->ac;
	out->re = cell->re;
	out->full_inspection = out->table_sample_size >= lot_size;
	out->sample_size = out->full_inspection ? lot_size : out->table_sample_size;
	return 0;
}

int
smp_lot_decision(int ac, int re, int64_t defects)
{
	if (defects < 0 || ac < 0 || re <= ac)
		return -1;
	if (defects <= ac)
		return SMP_ACCEPT;
	if (defects >= re)
		return SMP_REJECT;
	return SMP_ACCEPT_RETURN_TO_NORMAL;
}

int
smp_ac_one_step_tighter(int ac)
{
	static const int series[] = {0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 44};

	for (size_t k = 1; k < sizeof series / sizeof series[0]; k++)
		if (series[k] == ac)
			return series[k - 1];
	return -1;
}
