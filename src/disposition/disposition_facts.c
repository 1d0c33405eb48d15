/*
 * disposition_facts.c: the facts the disposition engine understands, their
 * questions, and validating setters.  Pure C.
 */
#include "disposition/disposition.h"

#include <math.h>
#include <string.h>

#define Q(id, key, kind, asked, question, seed, choices) \
	[id] = {id, key, kind, asked, question, seed, choices}

const DispFactDesc disp_fact_table[DF_NFACTS] = {
	Q(DF_REGIME, "regime", DK_CHOICE, true,
	  "Which regime governs this product: general, fda (21 CFR 820 / ISO 13485), iatf (IATF 16949) or as9100?",
	  "§1", "general, fda, iatf, as9100"),
	Q(DF_DISCOVERED_AT, "discovered_at", DK_TIMESTAMP, false,
	  "When was the non-conformance discovered (ISO 8601 with offset)? Notification deadlines count from it.",
	  "§1.2, §1.3", NULL),
	Q(DF_SUSPECTED_COUNTERFEIT, "suspected_counterfeit", DK_BOOL, true,
	  "Does the non-conformance raise suspicion of counterfeit material (unexpected material composition, incorrect markings, suspect documentation)?",
	  "§1.4", NULL),
	Q(DF_COUNTERFEIT_CONFIRMED, "counterfeit_confirmed", DK_BOOL, false,
	  "Has the counterfeit been confirmed?",
	  "§1.4", NULL),
	Q(DF_SPECIAL_CHARACTERISTIC, "special_characteristic", DK_BOOL, true,
	  "Is the non-conforming characteristic a special characteristic (safety/significant, shield or diamond symbol on the control plan)?",
	  "§1.3", NULL),
	Q(DF_SAFETY_CRITICAL, "safety_critical", DK_BOOL, true,
	  "Is the part safety-critical or regulatory-controlled?",
	  "§1.1", NULL),
	Q(DF_AFFECTS_FORM_FIT_FUNCTION, "affects_form_fit_function", DK_BOOL, true,
	  "Does the non-conformance affect form, fit, or function?",
	  "§1.1", NULL),
	Q(DF_REWORKABLE, "reworkable", DK_BOOL, true,
	  "Can it be reworked to full conformance?",
	  "§1.1", NULL),
	Q(DF_REWORK_COST, "rework_cost", DK_MONEY, true,
	  "What does the rework cost (C_rework: direct rework labor + materials + machine time)?",
	  "§1.1, §7.3", NULL),
	Q(DF_REPLACEMENT_COST, "replacement_cost", DK_MONEY, true,
	  "What does a replacement cost (C_replacement: purchase price or manufacturing cost of the replacement)?",
	  "§1.1, §7.3", NULL),
	Q(DF_REINSPECT_COST, "reinspect_cost", DK_MONEY, true,
	  "What does re-inspection cost (C_reinspect: re-inspection labor + any additional testing)?",
	  "§7.3", NULL),
	Q(DF_URGENCY_PREMIUM, "urgency_premium", DK_RATIO, true,
	  "What is the schedule urgency premium as a fraction (0 if no urgency, 0.10-0.50 if production impact, 1.00 or more if customer delivery at risk)?",
	  "§7.3", NULL),
	Q(DF_REPAIRABLE, "repairable", DK_BOOL, true,
	  "Can it be repaired to acceptable function?",
	  "§1.1", NULL),
	Q(DF_CONTRACT_REQUIRES_CUSTOMER_APPROVAL, "contract_requires_customer_approval", DK_BOOL, true,
	  "Does the contract or the applicable standard require customer approval of a repair?",
	  "§1.1", NULL),
	Q(DF_COSMETIC_ONLY, "cosmetic_only", DK_BOOL, true,
	  "Is the non-conformance cosmetic only?",
	  "§1.1", NULL),
	Q(DF_CUSTOMER_COSMETIC_SPEC, "customer_cosmetic_spec", DK_BOOL, true,
	  "Does the customer spec address cosmetic requirements?",
	  "§1.1", NULL),
	Q(DF_MEETS_COSMETIC_SPEC, "meets_cosmetic_spec", DK_BOOL, true,
	  "Does the part meet the customer cosmetic spec?",
	  "§1.1", NULL),
	Q(DF_CUSTOMER_CONCESSION, "customer_concession", DK_BOOL, true,
	  "Customer concession required: has the customer granted it (true) or denied it (false)? Request it and answer when the customer has replied.",
	  "§1.1", NULL),
	Q(DF_DIMENSIONAL_WITHIN_MRB_AUTHORITY, "dimensional_within_mrb_authority", DK_BOOL, true,
	  "Is this a dimensional non-conformance within material review authority?",
	  "§1.1", NULL),
	Q(DF_AFFECTS_ASSEMBLY_OR_PERFORMANCE, "affects_assembly_or_performance", DK_BOOL, true,
	  "Engineering analysis: does the dimension affect assembly or performance?",
	  "§1.1", NULL),
	Q(DF_ENGINEERING_JUSTIFICATION, "engineering_justification", DK_BOOL, true,
	  "Does engineering provide a documented justification for use-as-is?",
	  "§1.1, §7.3", NULL),
	Q(DF_FUNCTIONAL_RISK, "functional_risk", DK_MONEY, true,
	  "What is the functional risk (Risk_functional = P(failure in use) x Impact(failure), in the units of acceptable_risk)?",
	  "§7.3", NULL),
	Q(DF_ACCEPTABLE_RISK, "acceptable_risk", DK_MONEY, true,
	  "What is the acceptable risk (Acceptable_risk, in the units of functional_risk)?",
	  "§7.3", NULL),
	Q(DF_USE_AS_IS_COST, "use_as_is_cost", DK_MONEY, true,
	  "What does use-as-is cost (C_use_as_is: estimated warranty risk increase + documentation cost)?",
	  "§7.3", NULL),
	Q(DF_SORT_OR_REWORK_COST, "sort_or_rework_cost", DK_MONEY, true,
	  "What would sort or rework cost instead (C_sort_or_rework: direct sort/rework costs + production delay costs)?",
	  "§7.3", NULL),
	Q(DF_SUPPLIER_CAUSED, "supplier_caused", DK_BOOL, true,
	  "Is this a supplier-caused non-conformance?",
	  "§1.1", NULL),
	Q(DF_NEEDED_IMMEDIATELY, "needed_immediately", DK_BOOL, true,
	  "Is the material needed immediately for production?",
	  "§1.1", NULL),
	Q(DF_SORT_COST, "sort_cost", DK_MONEY, true,
	  "What does sorting the lot cost (C_sort: sort labor hours x rate)?",
	  "§7.3", NULL),
	Q(DF_RETURN_FREIGHT_COST, "return_freight_cost", DK_MONEY, true,
	  "What does returning the lot cost (C_return_freight: shipping cost + handling + administrative)?",
	  "§7.3", NULL),
	Q(DF_PRODUCTION_DELAY_COST, "production_delay_cost", DK_MONEY, true,
	  "What does the production delay of a return cost (C_production_delay: days of delay x daily production value at risk)?",
	  "§7.3", NULL),
	Q(DF_EXPECTED_YIELD, "expected_yield", DK_FRACTION, true,
	  "What fraction of the lot is expected to pass the sort (0 to 1, estimated from sample data)?",
	  "§7.3", NULL),
	Q(DF_LIFECYCLE_PHASE, "lifecycle_phase", DK_CHOICE, true,
	  "Was the non-conformance found pre-market (design: design verification/validation) or post-market (production: production/field)?",
	  "§1.2", "design, production"),
	Q(DF_COULD_AFFECT_SAFETY_OR_PERFORMANCE, "could_affect_safety_or_performance", DK_BOOL, true,
	  "Could the non-conformance affect device safety or performance (any reasonable possibility of harm)?",
	  "§1.2", NULL),
	Q(DF_COMPLAINT_RELATED, "complaint_related", DK_BOOL, true,
	  "Is the non-conformance related to a complaint?",
	  "§1.2", NULL),
	Q(DF_DEATH_OR_SERIOUS_INJURY, "death_or_serious_injury", DK_BOOL, true,
	  "Did the event involve a death or serious injury (MDR reportable)?",
	  "§1.2", NULL),
	Q(DF_REMEDIAL_ACTION_REQUIRED, "remedial_action_required", DK_BOOL, true,
	  "Does the event require remedial action (5-day MDR report instead of 30 days)?",
	  "§1.2", NULL),
	Q(DF_SHIPPED_TO_CUSTOMER, "shipped_to_customer", DK_BOOL, true,
	  "Has non-conforming product been shipped to the customer?",
	  "§1.3", NULL),
	Q(DF_PROCESS_CHANGE, "process_change", DK_BOOL, true,
	  "Does the non-conformance indicate, or its correction require, a process change from the approved/qualified state affecting fit, form, function or performance?",
	  "§1.3, §1.4", NULL),
	Q(DF_CONTROL_PLAN_GAP, "control_plan_gap", DK_BOOL, true,
	  "Does the non-conformance reveal a gap in the control plan?",
	  "§1.3", NULL),
	Q(DF_CONTROLLED_SHIPPING, "controlled_shipping", DK_CHOICE, false,
	  "Has the customer mandated controlled shipping (none, cs1, cs2)?",
	  "§1.3", "none, cs1, cs2"),
	Q(DF_GOVERNMENT_CONTRACT, "government_contract", DK_BOOL, true,
	  "Is the customer a prime contractor working under a government contract?",
	  "§1.4", NULL),
	Q(DF_KEY_CHARACTERISTIC, "key_characteristic", DK_BOOL, true,
	  "Does the part have key characteristics affected by the non-conformance?",
	  "§1.4", NULL),
	Q(DF_SERIALIZED, "serialized", DK_BOOL, true,
	  "Are the parts to be scrapped serialized?",
	  "§1.4", NULL),
	Q(DF_OCCURRENCES_12M, "occurrences_12m", DK_COUNT, true,
	  "How many times has this failure mode occurred in the last 12 months, this one included?",
	  "§3.1", NULL),
};

void
disp_facts_init(DispFacts *f)
{
	memset(f, 0, sizeof(*f));
}

int
disp_fact_lookup(const char *key, size_t len)
{
	for (int i = 0; i < DF_NFACTS; i++)
	{
		const char *k = disp_fact_table[i].key;

		if (strlen(k) == len && memcmp(k, key, len) == 0)
			return i;
	}
	return -1;
}

void
disp_set_unknown(DispFacts *f, DispFactId id)
{
	memset(&f->v[id], 0, sizeof(DispValue));
}

DispSetStatus
disp_set_bool(DispFacts *f, DispFactId id, bool b)
{
	if (disp_fact_table[id].kind != DK_BOOL)
		return DISP_SET_WRONG_KIND;
	f->v[id].known = true;
	f->v[id].b = b;
	return DISP_SET_OK;
}

DispSetStatus
disp_set_number(DispFacts *f, DispFactId id, double x)
{
	DispKind	k = disp_fact_table[id].kind;

	if (k != DK_MONEY && k != DK_FRACTION && k != DK_RATIO && k != DK_COUNT)
		return DISP_SET_WRONG_KIND;
	if (!isfinite(x) || x < 0.0)
		return DISP_SET_OUT_OF_RANGE;
	if (k == DK_FRACTION && x > 1.0)
		return DISP_SET_OUT_OF_RANGE;
	if (k == DK_COUNT)
	{
		if (x != floor(x))
			return DISP_SET_NOT_INTEGER;
		if (x < 1.0 || x > 1e9)
			return DISP_SET_OUT_OF_RANGE;
	}
	f->v[id].known = true;
	f->v[id].num = x;
	return DISP_SET_OK;
}

/* case-insensitive equality of s[0..len) and an ASCII literal */
static bool
eq_ci(const char *s, size_t len, const char *lit)
{
	size_t		n = strlen(lit);

	if (n != len)
		return false;
	for (size_t i = 0; i < n; i++)
	{
		char		c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c != lit[i])
			return false;
	}
	return true;
}

static int
choice_value(DispFactId id, const char *s, size_t len)
{
	static const struct
	{
		DispFactId	id;
		const char *text;
		int			value;
	}			map[] = {
		{DF_REGIME, "general", DISP_REGIME_GENERAL},
		{DF_REGIME, "fda", DISP_REGIME_FDA},
		{DF_REGIME, "21cfr820", DISP_REGIME_FDA},
		{DF_REGIME, "iso13485", DISP_REGIME_FDA},
		{DF_REGIME, "iatf", DISP_REGIME_IATF},
		{DF_REGIME, "iatf16949", DISP_REGIME_IATF},
		{DF_REGIME, "as9100", DISP_REGIME_AS9100},
		{DF_REGIME, "as9100d", DISP_REGIME_AS9100},
		{DF_LIFECYCLE_PHASE, "design", DISP_PHASE_DESIGN},
		{DF_LIFECYCLE_PHASE, "pre-market", DISP_PHASE_DESIGN},
		{DF_LIFECYCLE_PHASE, "production", DISP_PHASE_PRODUCTION},
		{DF_LIFECYCLE_PHASE, "post-market", DISP_PHASE_PRODUCTION},
		{DF_CONTROLLED_SHIPPING, "none", DISP_CS_NONE},
		{DF_CONTROLLED_SHIPPING, "cs1", DISP_CS_1},
		{DF_CONTROLLED_SHIPPING, "cs-1", DISP_CS_1},
		{DF_CONTROLLED_SHIPPING, "cs2", DISP_CS_2},
		{DF_CONTROLLED_SHIPPING, "cs-2", DISP_CS_2},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].id == id && eq_ci(s, len, map[i].text))
			return map[i].value;
	return 0;
}

DispSetStatus
disp_set_text(DispFacts *f, DispFactId id, const char *s, size_t len)
{
	DispKind	k = disp_fact_table[id].kind;

	if (k == DK_CHOICE)
	{
		int			v = choice_value(id, s, len);

		if (v == 0)
			return DISP_SET_BAD_CHOICE;
		f->v[id].known = true;
		f->v[id].choice = v;
		return DISP_SET_OK;
	}
	if (k == DK_TIMESTAMP)
	{
		int64_t		us;

		if (disp_parse_iso8601(s, len, &us) != 0)
			return DISP_SET_BAD_TIMESTAMP;
		f->v[id].known = true;
		f->v[id].unix_us = us;
		return DISP_SET_OK;
	}
	return DISP_SET_WRONG_KIND;
}

/* ---------------- ISO 8601 ---------------- */

/* days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm) */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	int64_t		yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* read exactly n digits at *p; returns -1 when they are not there */
static int
digits(const char *s, size_t len, size_t *p, int n)
{
	int			v = 0;

	if (*p + (size_t) n > len)
		return -1;
	for (int i = 0; i < n; i++)
	{
		char		c = s[*p + i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

int
disp_parse_iso8601(const char *s, size_t len, int64_t *unix_us)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	size_t		p = 0;
	int			y,
				mo,
				d,
				h,
				mi,
				sec = 0,
				oh = 0,
				om = 0,
				os = 0,
				sign = 0;
	int64_t		frac_us = 0;
	int64_t		t;

	if ((y = digits(s, len, &p, 4)) < 0 || p >= len || s[p++] != '-')
		return -1;
	if ((mo = digits(s, len, &p, 2)) < 0 || p >= len || s[p++] != '-')
		return -1;
	if ((d = digits(s, len, &p, 2)) < 0 || p >= len || (s[p] != 'T' && s[p] != 't' && s[p] != ' '))
		return -1;
	p++;
	if ((h = digits(s, len, &p, 2)) < 0 || p >= len || s[p++] != ':')
		return -1;
	if ((mi = digits(s, len, &p, 2)) < 0)
		return -1;
	if (p < len && s[p] == ':')
	{
		p++;
		if ((sec = digits(s, len, &p, 2)) < 0)
			return -1;
		if (p < len && s[p] == '.')
		{
			int64_t		scale = 100000;
			int			nd = 0;

			p++;
			while (p < len && s[p] >= '0' && s[p] <= '9')
			{
				if (nd < 6)
					frac_us += (s[p] - '0') * scale;
				scale /= 10;
				nd++;
				p++;
			}
			if (nd == 0 || nd > 9)
				return -1;
		}
	}
	if (p >= len)
		return -1;				/* an offset is required */
	if (s[p] == 'Z' || s[p] == 'z')
		p++;
	else if (s[p] == '+' || s[p] == '-')
	{
		sign = s[p] == '-' ? -1 : 1;
		p++;
		if ((oh = digits(s, len, &p, 2)) < 0)
			return -1;
		if (p < len && s[p] == ':')
			p++;
		if (p < len && (om = digits(s, len, &p, 2)) < 0)
			return -1;
		/* historic zone offsets carry seconds: +00:53:28 */
		if (p < len && s[p] == ':')
		{
			p++;
			if ((os = digits(s, len, &p, 2)) < 0 || os > 59)
				return -1;
		}
	}
	else
		return -1;
	if (p != len)
		return -1;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 || oh > 15 || om > 59)
		return -1;
	if (d > mdays[mo - 1] + (mo == 2 && is_leap(y)))
		return -1;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	t -= sign * (oh * 3600 + om * 60 + os);
	*unix_us = t * INT64_C(1000000) + frac_us;
	return 0;
}

const char *
disp_kind_name(DispKind k)
{
	switch (k)
	{
		case DK_BOOL:
			return "boolean";
		case DK_MONEY:
			return "number >= 0";
		case DK_FRACTION:
			return "number in [0, 1]";
		case DK_RATIO:
			return "number >= 0 (fraction)";
		case DK_COUNT:
			return "integer >= 1";
		case DK_CHOICE:
			return "text";
		case DK_TIMESTAMP:
			return "timestamptz (ISO 8601 text with offset)";
	}
	return "?";
}
