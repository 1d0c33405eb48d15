/*
 * switching.c: switching between normal, tightened and reduced inspection
 * and discontinuation, per MIL-STD-105E §4.7-4.8 / ANSI/ASQ Z1.4-2003 §8.3-8.4
 * and, as an option, the ISO 2859-1:1999 switching score (see
 * ../shared/reference/z14/switching_rules.md).
 *
 *  normal -> tightened     2 of 5 or fewer consecutive lots not accepted
 *  tightened -> normal     5 consecutive lots accepted
 *  tightened -> discont.   the count of lots not accepted since tightened
 *                          began reaches discontinue_after (default 5)
 *  normal -> reduced       Z1.4: the preceding 10 lots on normal accepted,
 *                          production steady, authority approves (the Table
 *                          VIII limit-number condition is waived, Z1.4 §8.5);
 *                          ISO: switching score >= 30, steady, approved
 *  reduced -> normal       a lot not accepted; a lot accepted with
 *                          Ac < d < Re (105E/Z1.4 gap rule); production
 *                          irregular; authority withdraws approval
 *  discontinued -> tight.  a further lot means inspection resumed after
 *                          corrective action, on tightened (105E §4.8)
 */
#include "sampling/switching.h"

#include "sampling/z14.h"

#include <stdlib.h>

const char *const smp_severity_names[SMP_NSEVERITIES] = {
	"normal", "tightened", "reduced", "discontinued"
};

const char *const smp_rules_names[SMP_NRULES] = {"z1.4", "iso2859-1"};

const char *const smp_switch_reason_names[SMP_NREASONS] = {
	NULL,
	"normal to tightened: 2 of 5 or fewer consecutive lots not accepted",
	"tightened to normal: 5 consecutive lots accepted",
	"tightened to discontinued: lots not accepted on tightened inspection reached the discontinuation count",
	"normal to reduced: 10 consecutive lots accepted, production steady, approved by the responsible authority",
	"normal to reduced: switching score reached 30, production steady, approved by the responsible authority",
	"reduced to normal: a lot not accepted",
	"reduced to normal: lot accepted with defects between Ac and Re",
	"reduced to normal: production irregular or delayed",
	"reduced to normal: responsible authority withdrew approval (other conditions warrant)",
	"discontinued to tightened: inspection resumed after corrective action"
};

static bool
ci_eq(const char *s, size_t len, const char *word)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		int			a = (unsigned char) s[i],
					b = (unsigned char) word[i];

		if (b == '\0')
			return false;
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (a != b)
			return false;
	}
	return word[i] == '\0';
}

int
smp_parse_rules(const char *s, size_t len)
{
	static const char *const z14[] = {"z1.4", "z14", "105e", "mil-std-105e", "ansi/asq z1.4"};
	static const char *const iso[] = {"iso2859-1", "iso 2859-1", "iso"};

	for (size_t k = 0; k < sizeof z14 / sizeof z14[0]; k++)
		if (ci_eq(s, len, z14[k]))
			return SMP_RULES_Z14;
	for (size_t k = 0; k < sizeof iso / sizeof iso[0]; k++)
		if (ci_eq(s, len, iso[k]))
			return SMP_RULES_ISO;
	return -1;
}

void
smp_switch_init(SmpSwitchState *s)
{
	s->lots = 0;
	s->lots_in_severity = 0;
	s->last_switch_lot = 0;
	s->severity = SMP_SEV_NORMAL;
	s->last_lot_severity = -1;
	s->consecutive_accepted = 0;
	s->normal_history = 0;
	s->normal_history_len = 0;
	s->not_accepted_on_tightened = 0;
	s->switching_score = 0;
	s->last_switch_reason = SMP_SW_NONE;
}

int
smp_switch_normal_rejects(const SmpSwitchState *s)
{
	uint32_t	h = s->normal_history & ((1u << SMP_TIGHTEN_WINDOW) - 1);
	int			n = 0;

	for (; h; h &= h - 1)
		n++;
	return n;
}

/* enter a severity: every counter of the new severity starts from zero */
static void
enter(SmpSwitchState *s, int severity, int reason)
{
	s->severity = severity;
	s->lots_in_severity = 0;
	s->consecutive_accepted = 0;
	s->normal_history = 0;
	s->normal_history_len = 0;
	s->not_accepted_on_tightened = 0;
	s->switching_score = 0;
	s->last_switch_reason = reason;
	s->last_switch_lot = s->lots;
}

int
smp_switch_step(SmpSwitchState *s, const SmpLot *lot)
{
	int			reason = SMP_SW_NONE;

	if (lot->rules < 0 || lot->rules >= SMP_NRULES || lot->discontinue_after < 1 ||
		(lot->has_count && (lot->defects < 0 || lot->ac < 0)))
		return SMP_SWERR_ARGS;
	if (lot->rules == SMP_RULES_ISO && !lot->has_count &&
		(s->severity == SMP_SEV_NORMAL))
		return SMP_SWERR_NEED_COUNT;
	if (lot->rules == SMP_RULES_ISO && s->severity == SMP_SEV_NORMAL &&
		lot->accepted && lot->ac >= 2 && smp_ac_one_step_tighter(lot->ac) < 0)
		return SMP_SWERR_AC_SERIES;

	/* a lot after discontinuation: inspection has resumed, on tightened */
	if (s->severity == SMP_SEV_DISCONTINUED)
		enter(s, SMP_SEV_TIGHTENED, SMP_SW_DISCONTINUED_TO_TIGHTENED);

	s->lots++;
	s->lots_in_severity++;
	s->last_lot_severity = s->severity;

	switch (s->severity)
	{
		case SMP_SEV_NORMAL:
			s->normal_history = (s->normal_history << 1) | (lot->accepted ? 0u : 1u);
			if (s->normal_history_len < SMP_TIGHTEN_WINDOW)
				s->normal_history_len++;
			if (!lot->accepted)
			{
				s->consecutive_accepted = 0;
				s->switching_score = 0;
				if (smp_switch_normal_rejects(s) >= SMP_TIGHTEN_REJECTS)
				{
					reason = SMP_SW_NORMAL_TO_TIGHTENED;
					enter(s, SMP_SEV_TIGHTENED, reason);
				}
				break;
			}
			s->consecutive_accepted++;
			if (lot->has_count)
			{
				if (lot->ac >= 2)
					s->switching_score = lot->defects <= smp_ac_one_step_tighter(lot->ac) ?
						s->switching_score + 3 : 0;
				else
					s->switching_score += 2;
				if (s->switching_score > 1000000)
					s->switching_score = 1000000;	/* far past 30; no overflow */
			}
			if (lot->production_steady == SMP_FLAG_TRUE && lot->reduced_approved == SMP_FLAG_TRUE)
			{
				if (lot->rules == SMP_RULES_Z14 && s->consecutive_accepted >= SMP_REDUCE_ACCEPTS)
					reason = SMP_SW_NORMAL_TO_REDUCED;
				else if (lot->rules == SMP_RULES_ISO && s->switching_score >= SMP_REDUCE_SCORE)
					reason = SMP_SW_NORMAL_TO_REDUCED_SCORE;
				if (reason != SMP_SW_NONE)
					enter(s, SMP_SEV_REDUCED, reason);
			}
			break;

		case SMP_SEV_TIGHTENED:
			if (lot->accepted)
			{
				s->consecutive_accepted++;
				if (s->consecutive_accepted >= SMP_RELAX_ACCEPTS)
				{
					reason = SMP_SW_TIGHTENED_TO_NORMAL;
					enter(s, SMP_SEV_NORMAL, reason);
				}
			}
			else
			{
				s->consecutive_accepted = 0;
				s->not_accepted_on_tightened++;
				if (s->not_accepted_on_tightened >= lot->discontinue_after)
				{
					reason = SMP_SW_TIGHTENED_TO_DISCONTINUED;
					enter(s, SMP_SEV_DISCONTINUED, reason);
				}
			}
			break;

		case SMP_SEV_REDUCED:
			if (!lot->accepted)
				reason = SMP_SW_REDUCED_TO_NORMAL_NOT_ACCEPTED;
			else if (lot->has_count && lot->defects > lot->ac)
				reason = SMP_SW_REDUCED_TO_NORMAL_GAP;
			else if (lot->production_steady == SMP_FLAG_FALSE)
				reason = SMP_SW_REDUCED_TO_NORMAL_IRREGULAR;
			else if (lot->reduced_approved == SMP_FLAG_FALSE)
				reason = SMP_SW_REDUCED_TO_NORMAL_AUTHORITY;
			if (reason != SMP_SW_NONE)
				enter(s, SMP_SEV_NORMAL, reason);
			else
				s->consecutive_accepted++;
			break;
	}
	return reason;
}

/* tri-state flag <-> 2 bits: 0 unknown, 1 false, 2 true */
static inline unsigned
flag_bits(int f)
{
	return f == SMP_FLAG_UNKNOWN ? 0u : f == SMP_FLAG_FALSE ? 1u : 2u;
}

static inline int
bits_flag(unsigned b)
{
	return b == 0 ? SMP_FLAG_UNKNOWN : b == 1 ? SMP_FLAG_FALSE : SMP_FLAG_TRUE;
}

void
smp_lotrec_pack(SmpLotRec *r, int64_t t, int32_t seq, const SmpLot *lot)
{
	r->t = t;
	r->seq = seq;
	r->defects = lot->defects;
	r->ac = lot->ac;
	r->discontinue_after = lot->discontinue_after;
	r->rules = (uint8_t) lot->rules;
	r->flags = (uint8_t) ((lot->accepted ? 1u : 0u) | (lot->has_count ? 2u : 0u) |
						  (flag_bits(lot->production_steady) << 2) |
						  (flag_bits(lot->reduced_approved) << 4));
}

void
smp_lotrec_unpack(const SmpLotRec *r, SmpLot *lot)
{
	lot->accepted = (r->flags & 1u) != 0;
	lot->has_count = (r->flags & 2u) != 0;
	lot->production_steady = bits_flag((r->flags >> 2) & 3u);
	lot->reduced_approved = bits_flag((r->flags >> 4) & 3u);
	lot->defects = r->defects;
	lot->ac = r->ac;
	lot->rules = r->rules;
	lot->discontinue_after = r->discontinue_after;
}

static int
lotrec_cmp(const void *a, const void *b)
{
	const SmpLotRec *x = a,
			   *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int
smp_switch_replay(SmpLotRec *recs, int64_t n, SmpSwitchState *out, int64_t *failed)
{
	smp_switch_init(out);
	qsort(recs, (size_t) n, sizeof(SmpLotRec), lotrec_cmp);
	for (int64_t i = 0; i < n; i++)
	{
		SmpLot		lot;
		int			rc;

		smp_lotrec_unpack(&recs[i], &lot);
		rc = smp_switch_step(out, &lot);
		if (rc < 0)
		{
			if (failed)
				*failed = i;
			return rc;
		}
	}
	return 0;
}
