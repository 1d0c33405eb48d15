/*
 * Unit tests of src/sampling/switching.c: every transition of the switching
 * rules, its boundary (one lot short of switching), and the error returns.
 */
#include "sampling/switching.h"
#include "tap.h"

#include <string.h>

static SmpLot
lot(bool accepted)
{
	SmpLot		l;

	memset(&l, 0, sizeof l);
	l.accepted = accepted;
	l.production_steady = SMP_FLAG_UNKNOWN;
	l.reduced_approved = SMP_FLAG_UNKNOWN;
	l.rules = SMP_RULES_Z14;
	l.discontinue_after = SMP_DEFAULT_DISCONTINUE_AFTER;
	return l;
}

/* feed "AARA..." (A accepted, R not accepted); returns the last reason */
static int
feed(SmpSwitchState *s, const char *seq, const SmpLot *tmpl)
{
	int			r = SMP_SW_NONE;

	for (; *seq; seq++)
	{
		SmpLot		l = *tmpl;

		l.accepted = (*seq == 'A');
		r = smp_switch_step(s, &l);
	}
	return r;
}

int
main(void)
{
	SmpSwitchState s;
	SmpLot		z = lot(true);
	SmpLot		steady = lot(true);
	SmpLot		iso;

	steady.production_steady = SMP_FLAG_TRUE;
	steady.reduced_approved = SMP_FLAG_TRUE;

	smp_switch_init(&s);
	tap_ok(s.severity == SMP_SEV_NORMAL && s.last_lot_severity == -1, "starts on normal inspection, no lot yet");

	/* normal -> tightened */
	smp_switch_init(&s);
	tap_ok(feed(&s, "R", &z) == SMP_SW_NONE && s.severity == SMP_SEV_NORMAL, "one lot not accepted: still normal");
	tap_ok(feed(&s, "R", &z) == SMP_SW_NORMAL_TO_TIGHTENED && s.severity == SMP_SEV_TIGHTENED,
		   "normal to tightened: 2 of 2 consecutive lots not accepted");
	smp_switch_init(&s);
	tap_ok(feed(&s, "RAAAR", &z) == SMP_SW_NORMAL_TO_TIGHTENED,
		   "normal to tightened: 2 of 5 consecutive lots not accepted (first and fifth)");
	smp_switch_init(&s);
	tap_ok(feed(&s, "RAAAAR", &z) == SMP_SW_NONE && s.severity == SMP_SEV_NORMAL,
		   "2 not accepted 6 lots apart: stays normal");
	tap_ok(smp_switch_normal_rejects(&s) == 1, "only one not accepted within the last 5 lots");
	tap_ok(s.last_lot_severity == SMP_SEV_NORMAL && s.lots == 6, "six lots counted, inspected on normal");

	/* tightened -> normal */
	smp_switch_init(&s);
	feed(&s, "RR", &z);
	tap_ok(feed(&s, "AAAA", &z) == SMP_SW_NONE && s.severity == SMP_SEV_TIGHTENED && s.consecutive_accepted == 4,
		   "4 accepted on tightened: still tightened");
	tap_ok(feed(&s, "A", &z) == SMP_SW_TIGHTENED_TO_NORMAL && s.severity == SMP_SEV_NORMAL,
		   "tightened to normal: 5 consecutive lots accepted");
	tap_ok(s.normal_history_len == 0 && smp_switch_normal_rejects(&s) == 0,
		   "back on normal the 2-of-5 window starts afresh");
	smp_switch_init(&s);
	feed(&s, "RR", &z);
	tap_ok(feed(&s, "AAAARAAAA", &z) == SMP_SW_NONE && s.severity == SMP_SEV_TIGHTENED,
		   "a lot not accepted restarts the 5 consecutive on tightened");

	/* tightened -> discontinued */
	smp_switch_init(&s);
	feed(&s, "RR", &z);
	tap_ok(feed(&s, "RARAR", &z) == SMP_SW_NONE && s.not_accepted_on_tightened == 3, "3 not accepted on tightened");
	tap_ok(feed(&s, "AR", &z) == SMP_SW_NONE && s.not_accepted_on_tightened == 4, "4 not accepted on tightened");
	tap_ok(feed(&s, "R", &z) == SMP_SW_TIGHTENED_TO_DISCONTINUED && s.severity == SMP_SEV_DISCONTINUED,
		   "tightened to discontinued: 5 lots not accepted on tightened (105E, Z1.4-2003, ISO default)");
	{
		SmpLot		ten = z;

		ten.discontinue_after = 10;
		smp_switch_init(&s);
		feed(&s, "RR", &ten);
		tap_ok(feed(&s, "RRRRRRRRR", &ten) == SMP_SW_NONE && s.severity == SMP_SEV_TIGHTENED,
			   "discontinue_after 10 (seed / Z1.4-1993): 9 not accepted keep tightened");
		tap_ok(feed(&s, "R", &ten) == SMP_SW_TIGHTENED_TO_DISCONTINUED,
			   "discontinue_after 10: the 10th lot not accepted discontinues");
	}
	/* discontinued -> tightened */
	tap_ok(feed(&s, "A", &z) == SMP_SW_NONE && s.severity == SMP_SEV_TIGHTENED &&
		   s.last_lot_severity == SMP_SEV_TIGHTENED && s.last_switch_reason == SMP_SW_DISCONTINUED_TO_TIGHTENED &&
		   s.consecutive_accepted == 1,
		   "discontinued to tightened: the next lot is inspected on tightened after corrective action");

	/* normal -> reduced (Z1.4) */
	smp_switch_init(&s);
	tap_ok(feed(&s, "AAAAAAAAA", &steady) == SMP_SW_NONE && s.severity == SMP_SEV_NORMAL, "9 accepted: still normal");
	tap_ok(feed(&s, "A", &steady) == SMP_SW_NORMAL_TO_REDUCED && s.severity == SMP_SEV_REDUCED,
		   "normal to reduced: 10 consecutive lots accepted, production steady, approved");
	smp_switch_init(&s);
	tap_ok(feed(&s, "AAAAAAAAAAAA", &z) == SMP_SW_NONE && s.severity == SMP_SEV_NORMAL,
		   "12 accepted without approval: stays normal");
	{
		SmpLot		notsteady = steady;

		notsteady.production_steady = SMP_FLAG_FALSE;
		tap_ok(feed(&s, "A", &notsteady) == SMP_SW_NONE, "approved but production not steady: stays normal");
	}
	tap_ok(feed(&s, "A", &steady) == SMP_SW_NORMAL_TO_REDUCED, "approval arriving after 14 accepted lots: reduced");
	smp_switch_init(&s);
	tap_ok(feed(&s, "AAAAARAAAAAAAAA", &steady) == SMP_SW_NONE && s.consecutive_accepted == 9,
		   "a lot not accepted restarts the 10 consecutive");

	/* reduced -> normal */
	smp_switch_init(&s);
	feed(&s, "AAAAAAAAAA", &steady);
	tap_ok(feed(&s, "AAA", &steady) == SMP_SW_NONE && s.severity == SMP_SEV_REDUCED, "accepted lots stay on reduced");
	tap_ok(feed(&s, "R", &steady) == SMP_SW_REDUCED_TO_NORMAL_NOT_ACCEPTED && s.severity == SMP_SEV_NORMAL,
		   "reduced to normal: a lot not accepted");
	{
		SmpLot		gap = steady;

		smp_switch_init(&s);
		feed(&s, "AAAAAAAAAA", &steady);
		gap.has_count = true;
		gap.ac = 1;
		gap.defects = 1;
		tap_ok(feed(&s, "A", &gap) == SMP_SW_NONE && s.severity == SMP_SEV_REDUCED, "d = Ac on reduced 1/3: stays reduced");
		gap.defects = 2;
		tap_ok(feed(&s, "A", &gap) == SMP_SW_REDUCED_TO_NORMAL_GAP && s.severity == SMP_SEV_NORMAL,
			   "reduced to normal: lot accepted with Ac < d < Re (2 on 1/3)");
	}
	{
		SmpLot		irr = steady;

		smp_switch_init(&s);
		feed(&s, "AAAAAAAAAA", &steady);
		irr.production_steady = SMP_FLAG_FALSE;
		tap_ok(feed(&s, "A", &irr) == SMP_SW_REDUCED_TO_NORMAL_IRREGULAR, "reduced to normal: production irregular");
		smp_switch_init(&s);
		feed(&s, "AAAAAAAAAA", &steady);
		irr = steady;
		irr.reduced_approved = SMP_FLAG_FALSE;
		tap_ok(feed(&s, "A", &irr) == SMP_SW_REDUCED_TO_NORMAL_AUTHORITY, "reduced to normal: authority withdraws approval");
		smp_switch_init(&s);
		feed(&s, "AAAAAAAAAA", &steady);
		tap_ok(feed(&s, "AA", &z) == SMP_SW_NONE && s.severity == SMP_SEV_REDUCED,
			   "unknown (NULL) steadiness / approval does not leave reduced");
	}

	/* ISO 2859-1 switching score */
	iso = steady;
	iso.rules = SMP_RULES_ISO;
	iso.has_count = true;
	iso.ac = 2;						/* one step tighter: Ac 1 */
	iso.defects = 1;
	smp_switch_init(&s);
	tap_ok(feed(&s, "AAAAAAAAA", &iso) == SMP_SW_NONE && s.switching_score == 27, "9 lots at 1 defect on Ac 2: score 27");
	tap_ok(feed(&s, "A", &iso) == SMP_SW_NORMAL_TO_REDUCED_SCORE && s.severity == SMP_SEV_REDUCED,
		   "normal to reduced: switching score reached 30 (Ac >= 2, accepted at one step tighter AQL)");
	smp_switch_init(&s);
	feed(&s, "AAAAA", &iso);
	iso.defects = 2;				/* accepted on Ac 2, not on the tighter Ac 1 */
	tap_ok(feed(&s, "A", &iso) == SMP_SW_NONE && s.switching_score == 0,
		   "accepted, but not at one step tighter AQL: score reset to 0");
	iso.ac = 1;
	iso.defects = 1;
	smp_switch_init(&s);
	tap_ok(feed(&s, "AAAAAAAAAAAAAA", &iso) == SMP_SW_NONE && s.switching_score == 28, "Ac 0/1: +2 per accepted lot");
	tap_ok(feed(&s, "A", &iso) == SMP_SW_NORMAL_TO_REDUCED_SCORE, "Ac 1: 15 accepted lots reach 30");
	smp_switch_init(&s);
	feed(&s, "AAAAAAAAAAAAAA", &iso);
	tap_ok(feed(&s, "R", &iso) == SMP_SW_NONE && s.switching_score == 0, "a lot not accepted resets the score");
	{
		SmpLot		bad = iso;

		bad.has_count = false;
		smp_switch_init(&s);
		tap_ok(smp_switch_step(&s, &bad) == SMP_SWERR_NEED_COUNT && s.lots == 0,
			   "ISO rules without counts: error, state unchanged");
		bad = iso;
		bad.ac = 4;
		tap_ok(smp_switch_step(&s, &bad) == SMP_SWERR_AC_SERIES && s.lots == 0, "Ac 4 is not in the series");
		bad = z;
		bad.discontinue_after = 0;
		tap_ok(smp_switch_step(&s, &bad) == SMP_SWERR_ARGS, "discontinue_after 0 refused");
		bad = z;
		bad.rules = 7;
		tap_ok(smp_switch_step(&s, &bad) == SMP_SWERR_ARGS, "unknown rules refused");
		bad = z;
		bad.has_count = true;
		bad.defects = -1;
		tap_ok(smp_switch_step(&s, &bad) == SMP_SWERR_ARGS, "negative defects refused");
	}
	tap_ok(smp_parse_rules("Z1.4", 4) == SMP_RULES_Z14 && smp_parse_rules("ISO 2859-1", 10) == SMP_RULES_ISO &&
		   smp_parse_rules("iso2859", 7) == -1, "rules names");
	tap_near(SMP_DEFAULT_DISCONTINUE_AFTER, 5, 0, "default discontinuation count is 5");

	/* replay of lots received out of order */
	{
		const char *seq = "AARARAAAAARRRARARRAAAAAAAAAAAAAAAAR";
		int			n = (int) strlen(seq);
		SmpLotRec	recs[64];
		SmpSwitchState in_order,
					replayed;
		SmpLot		back;
		int64_t		failed = -1;

		smp_switch_init(&in_order);
		feed(&in_order, seq, &steady);
		/* store in a scrambled arrival order: lot k has time k, arrives at (k * 11) % n (11 is prime to n = 35) */
		for (int k = 0; k < n; k++)
		{
			SmpLot		l = steady;

			l.accepted = seq[k] == 'A';
			smp_lotrec_pack(&recs[(k * 11) % n], (int64_t) k * 60, (k * 11) % n, &l);
		}
		tap_ok(smp_switch_replay(recs, n, &replayed, &failed) == 0, "replay of scrambled lots succeeds");
		tap_ok(memcmp(&in_order, &replayed, sizeof in_order) == 0,
			   "replay sorted by received_at gives the state of the lots fed in order (%s)",
			   smp_severity_names[replayed.severity]);
		smp_lotrec_unpack(&recs[3], &back);
		tap_ok(back.production_steady == SMP_FLAG_TRUE && back.reduced_approved == SMP_FLAG_TRUE &&
			   back.rules == SMP_RULES_Z14 && back.discontinue_after == 5, "pack / unpack keeps every field");
		/* ties keep arrival order */
		{
			SmpLot		a = z,
						r = z;
			SmpSwitchState t1;

			r.accepted = false;
			smp_lotrec_pack(&recs[0], 10, 0, &r);
			smp_lotrec_pack(&recs[1], 10, 1, &a);
			smp_lotrec_pack(&recs[2], 10, 2, &r);
			smp_switch_replay(recs, 3, &t1, NULL);
			tap_ok(t1.severity == SMP_SEV_TIGHTENED && t1.lots == 3, "equal times: arrival order, R A R -> tightened");
		}
		{
			SmpLot		bad = iso;
			SmpSwitchState t2;

			bad.has_count = false;
			smp_lotrec_pack(&recs[0], 5, 0, &z);
			smp_lotrec_pack(&recs[1], 1, 1, &bad);
			tap_ok(smp_switch_replay(recs, 2, &t2, &failed) == SMP_SWERR_NEED_COUNT && failed == 0,
				   "replay reports the failing lot (index after sorting)");
		}
	}
	return tap_done();
}
