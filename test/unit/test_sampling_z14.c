/*
 * Unit tests of src/sampling/z14.c: every resolved plan and every Table I
 * cell of the reference CSVs (test/data/z14), the AQL / level / inspection
 * parsers, the 100 % rule and the lot decision.
 */
#include "sampling/z14.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static int
letter_index(const char *s)
{
	const char *p = strchr(SMP_Z14_LETTERS, s[0]);

	return (p && s[0] && s[1] == '\0') ? (int) (p - SMP_Z14_LETTERS) : -1;
}

static int
split(char *line, char **cells, int max)
{
	int			k = 0;
	char	   *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (k < max)
	{
		cells[k++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return k;
}

static void
test_resolved_plans(void)
{
	FILE	   *f = fopen("test/data/z14/resolved_plans.csv", "r");
	char		line[256];
	int			rows = 0,
				bad = 0;

	tap_ok(f != NULL, "test/data/z14/resolved_plans.csv opens");
	if (!f)
		return;
	if (!fgets(line, sizeof line, f))
		return;
	while (fgets(line, sizeof line, f))
	{
		char	   *c[7];
		int			insp,
					letter,
					aql,
					plan;
		const SmpZ14Cell *cell;

		if (split(line, c, 7) != 7)
			continue;
		rows++;
		insp = smp_parse_inspection(c[0], strlen(c[0]));
		letter = letter_index(c[1]);
		aql = smp_parse_aql(c[2], strlen(c[2]));
		plan = smp_z14_resolve(insp, letter, aql);
		if (plan < 0)
		{
			bad++;
			printf("# %s %s %s: no plan\n", c[0], c[1], c[2]);
			continue;
		}
		cell = &smp_z14_table[insp][plan][aql];
		if (plan != letter_index(c[3]) || smp_z14_sample_size[insp][plan] != atoi(c[4]) ||
			cell->ac != atoi(c[5]) || cell->re != atoi(c[6]) ||
			strcmp(smp_aql_names[aql], c[2]) != 0)
		{
			bad++;
			printf("# %s %s %s: got %c n=%d %d/%d, want %s n=%s %s/%s\n", c[0], c[1], c[2],
				   SMP_Z14_LETTERS[plan], smp_z14_sample_size[insp][plan], cell->ac, cell->re,
				   c[3], c[4], c[5], c[6]);
		}
	}
	fclose(f);
	tap_ok(rows == 1248, "resolved_plans.csv has 1248 rows (got %d)", rows);
	tap_ok(bad == 0, "following the printed arrows reproduces all 1248 resolved plans (%d mismatches)", bad);
}

static void
test_code_letters(void)
{
	FILE	   *f = fopen("test/data/z14/code_letters.csv", "r");
	char		line[256];
	int			rows = 0,
				bad = 0;

	tap_ok(f != NULL, "test/data/z14/code_letters.csv opens");
	if (!f)
		return;
	if (!fgets(line, sizeof line, f))
		return;
	while (fgets(line, sizeof line, f))
	{
		char	   *c[4];
		int64_t		lo,
					hi;
		int			level,
					want;

		if (split(line, c, 4) != 4)
			continue;
		rows++;
		lo = atoll(c[0]);
		hi = c[1][0] ? atoll(c[1]) : INT64_MAX;
		level = smp_parse_level(c[2], strlen(c[2]));
		want = letter_index(c[3]);
		/* both ends of the range and its middle */
		if (smp_code_letter(lo, level) != want || smp_code_letter(hi, level) != want ||
			smp_code_letter(lo + (hi - lo) / 2, level) != want)
		{
			bad++;
			printf("# %s-%s %s: want %s\n", c[0], c[1], c[2], c[3]);
		}
	}
	fclose(f);
	tap_ok(rows == 105, "code_letters.csv has 105 rows (got %d)", rows);
	tap_ok(bad == 0, "Table I: all 105 cells at both range ends and the middle (%d mismatches)", bad);
}

static void
test_parsers(void)
{
	tap_ok(smp_parse_aql("1.0", 3) == 10, "AQL '1.0' is column 10");
	tap_ok(smp_parse_aql("1", 1) == 10, "AQL '1' is column 10");
	tap_ok(smp_parse_aql("1.000", 5) == 10, "AQL '1.000' is column 10");
	tap_ok(smp_parse_aql(" 0.65 ", 6) == 9, "AQL ' 0.65 ' is column 9");
	tap_ok(smp_parse_aql(".65", 3) == 9, "AQL '.65' is column 9");
	tap_ok(smp_parse_aql("0.01", 4) == 0, "AQL '0.01' is 0.010");
	tap_ok(smp_parse_aql("0.0100", 6) == 0, "AQL '0.0100' is 0.010");
	tap_ok(smp_parse_aql("1000", 4) == 25, "AQL '1000' is the last column");
	tap_ok(smp_parse_aql("+10", 3) == 15, "AQL '+10'");
	tap_ok(smp_parse_aql("0001000.000", 11) == 25, "leading and trailing zeros");
	tap_ok(smp_parse_aql("0.6", 3) == -1, "0.6 is not an AQL");
	tap_ok(smp_parse_aql("0.0101", 6) == -1, "0.0101 is not an AQL");
	tap_ok(smp_parse_aql("0.0100001", 9) == -1, "0.0100001 is not an AQL");
	tap_ok(smp_parse_aql("", 0) == -1, "empty AQL");
	tap_ok(smp_parse_aql(".", 1) == -1, "'.' alone");
	tap_ok(smp_parse_aql("-1", 2) == -1, "negative AQL");
	tap_ok(smp_parse_aql("1e3", 3) == -1, "exponent form is refused");
	tap_ok(smp_parse_aql("99999999999999999999999", 23) == -1, "huge number does not overflow");
	tap_ok(smp_parse_aql("1.0x", 4) == -1, "trailing garbage");
	tap_ok(smp_parse_aql("1.0", 2) == 10, "length is honoured ('1.' of '1.0')");
	for (int k = 0; k < SMP_Z14_NAQLS; k++)
		tap_ok(smp_parse_aql(smp_aql_names[k], strlen(smp_aql_names[k])) == k,
			   "printed AQL %s parses to its column", smp_aql_names[k]);
	tap_ok(smp_parse_level("II", 2) == SMP_LEVEL_II && smp_parse_level("ii", 2) == SMP_LEVEL_II,
		   "level II, case-insensitive");
	tap_ok(smp_parse_level("S-3", 3) == SMP_S3 && smp_parse_level("s3", 2) == SMP_S3, "level S-3 / s3");
	tap_ok(smp_parse_level("IV", 2) == -1 && smp_parse_level("", 0) == -1 && smp_parse_level("I I", 3) == -1,
		   "unknown levels");
	tap_ok(smp_parse_inspection("Tightened", 9) == SMP_TIGHTENED, "inspection 'Tightened'");
	tap_ok(smp_parse_inspection("norm", 4) == -1, "inspection prefix refused");
}

static void
test_lookup(void)
{
	SmpPlan		p;

	tap_ok(smp_aql_plan(1, SMP_LEVEL_II, 10, SMP_NORMAL, &p) == -1, "lot size 1 refused");
	tap_ok(smp_aql_plan(-5, SMP_LEVEL_II, 10, SMP_NORMAL, &p) == -1, "negative lot size refused");
	tap_ok(smp_aql_plan(1000, 7, 10, SMP_NORMAL, &p) == -1, "level index 7 refused");
	tap_ok(smp_aql_plan(1000, SMP_LEVEL_II, 26, SMP_NORMAL, &p) == -1, "aql index 26 refused");
	tap_ok(smp_aql_plan(1000, SMP_LEVEL_II, 10, 3, &p) == -1, "inspection 3 refused");

	/* README sanity list of the reference data */
	smp_aql_plan(1000, SMP_LEVEL_II, 10, SMP_NORMAL, &p);
	tap_ok(p.code_letter == 8 && p.plan_letter == 8 && p.sample_size == 80 && p.ac == 2 && p.re == 3 &&
		   !p.full_inspection, "1000, II, 1.0, normal: J 80 2/3");
	smp_aql_plan(1000, SMP_LEVEL_II, 10, SMP_REDUCED, &p);
	tap_ok(p.sample_size == 32 && p.ac == 1 && p.re == 3, "1000, II, 1.0, reduced: J 32 1/3");
	smp_aql_plan(1000, SMP_LEVEL_II, 8, SMP_NORMAL, &p);
	tap_ok(p.code_letter == 8 && p.plan_letter == 9 && p.sample_size == 125 && p.ac == 1 && p.re == 2,
		   "1000, II, 0.40, normal: J down to K 125 1/2");
	smp_aql_plan(8, SMP_LEVEL_II, 9, SMP_NORMAL, &p);
	tap_ok(p.code_letter == 0 && p.plan_letter == 5 && p.table_sample_size == 20 &&
		   p.full_inspection && p.sample_size == 8 && p.ac == 0 && p.re == 1,
		   "8, II, 0.65, normal: A down to F (n 20 >= 8): 100 %% inspection of 8, 0/1");
	smp_aql_plan(600000, SMP_LEVEL_III, 2, SMP_TIGHTENED, &p);
	tap_ok(p.code_letter == 15 && p.plan_letter == 16 && p.sample_size == 3150 && p.ac == 1 && p.re == 2,
		   "> 500000, III, 0.025, tightened: R down to S 3150 1/2");
	smp_aql_plan(10, SMP_LEVEL_II, 25, SMP_NORMAL, &p);
	tap_ok(p.code_letter == 1 && p.sample_size == 3 && p.ac == 44 && p.re == 45, "9-15, II, 1000: B 3 44/45");
	smp_aql_plan(INT64_MAX, SMP_LEVEL_II, 10, SMP_NORMAL, &p);
	tap_ok(p.code_letter == 14 && p.sample_size == 1250, "lot size INT64_MAX is in the open range (Q)");
	smp_aql_plan(80, SMP_LEVEL_II, 10, SMP_NORMAL, &p);
	tap_ok(!p.full_inspection && p.sample_size == 13, "51-90 at 1.0: E, n 13 < 80");
	smp_aql_plan(13, SMP_LEVEL_II, 10, SMP_NORMAL, &p);
	tap_ok(p.full_inspection && p.sample_size == 13 && p.table_sample_size == 13,
		   "sample size equal to the lot size is 100 %% inspection");
}

static void
test_decision(void)
{
	tap_ok(smp_lot_decision(2, 3, 0) == SMP_ACCEPT, "0 defects on 2/3: accept");
	tap_ok(smp_lot_decision(2, 3, 2) == SMP_ACCEPT, "2 defects on 2/3: accept");
	tap_ok(smp_lot_decision(2, 3, 3) == SMP_REJECT, "3 defects on 2/3: reject");
	tap_ok(smp_lot_decision(1, 3, 2) == SMP_ACCEPT_RETURN_TO_NORMAL, "2 defects on reduced 1/3: accept, back to normal");
	tap_ok(smp_lot_decision(10, 13, 12) == SMP_ACCEPT_RETURN_TO_NORMAL, "12 defects on reduced 10/13");
	tap_ok(smp_lot_decision(10, 13, 13) == SMP_REJECT, "13 defects on reduced 10/13: reject");
	tap_ok(smp_lot_decision(1, 2, -1) == -1, "negative count refused");
	tap_ok(smp_lot_decision(2, 2, 0) == -1 && smp_lot_decision(-1, 0, 0) == -1, "inconsistent Ac/Re refused");
}

/* The series rule used for the ISO switching score agrees with Table II-A:
 * for every printed normal plan with Ac >= 2, the cell one AQL step to the
 * left in the same row is a plan with the next smaller Ac. */
static void
test_tighter(void)
{
	int			checked = 0,
				bad = 0;

	for (int L = 0; L < SMP_Z14_NLETTERS; L++)
		for (int a = 1; a < SMP_Z14_NAQLS; a++)
		{
			const SmpZ14Cell *c = &smp_z14_table[SMP_NORMAL][L][a];
			const SmpZ14Cell *t = &smp_z14_table[SMP_NORMAL][L][a - 1];

			if (c->kind != SMP_CELL_PLAN || c->ac < 2)
				continue;
			checked++;
			if (t->kind != SMP_CELL_PLAN || t->ac != smp_ac_one_step_tighter(c->ac))
				bad++;
		}
	tap_ok(checked > 100 && bad == 0, "one step tighter = next smaller Ac of the series, in %d printed normal plans (%d bad)",
		   checked, bad);
	tap_ok(smp_ac_one_step_tighter(0) == -1 && smp_ac_one_step_tighter(4) == -1, "no tighter Ac for 0 or non-series 4");
}

/* the lot range against a plain count of the upper ends below the lot size */
static int
plain_range(int64_t n)
{
	int			r = 0;

	for (int k = 0; k < SMP_Z14_NRANGES - 1; k++)
		r += n > smp_z14_lot_max[k];
	return r;
}

static void
test_lot_range(void)
{
	int			bad = 0;
	int64_t		checked = 0;

	/* every upper end and power of two, one either side */
	for (int k = 0; k < SMP_Z14_NRANGES - 1; k++)
		for (int64_t d = -1; d <= 1; d++, checked++)
			bad += smp_lot_range(smp_z14_lot_max[k] + d) != plain_range(smp_z14_lot_max[k] + d);
	for (int b = 1; b < 63; b++)
		for (int64_t d = -1; d <= 1; d++, checked++)
		{
			int64_t		n = ((int64_t) 1 << b) + d;

			if (n >= 2)
				bad += smp_lot_range(n) != plain_range(n);
		}
	/* every lot size up to 2^20 */
	for (int64_t n = 2; n <= (1 << 20); n++, checked++)
		bad += smp_lot_range(n) != plain_range(n);
	bad += smp_lot_range(INT64_MAX) != SMP_Z14_NRANGES - 1;
	tap_ok(bad == 0, "lot range (octave table) = plain count at every boundary, power of two and lot size to 2^20");
	tap_ok(smp_lot_range(1) == -1 && smp_lot_range(0) == -1 && smp_lot_range(-7) == -1,
		   "lot range of a lot size below 2 is -1");
	tap_ok(smp_lot_range(2) == 0 && smp_lot_range(8) == 0 && smp_lot_range(9) == 1 &&
		   smp_lot_range(500000) == 13 && smp_lot_range(500001) == 14,
		   "lot range: 2..8 first, 500001 and over last (Table I)");
	(void) checked;
}

int
main(void)
{
	test_lot_range();
	test_resolved_plans();
	test_code_letters();
	test_parsers();
	test_lookup();
	test_decision();
	test_tighter();
	tap_near((double) smp_aql_milli[10], 1000.0, 0.0, "AQL column 10 is 1.0 (1000 thousandths)");
	return tap_done();
}
