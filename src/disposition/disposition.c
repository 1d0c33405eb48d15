/*
 * disposition.c: the disposition engine.  Pure C.
 *
 * Order of the walk (each step needs its facts; the first unknown one stops
 * the walk with its question):
 *
 *   1. regime;  IATF: the control plan's reaction plan comes first (§1.3)
 *   2. suspected counterfeit (asked under AS9100, honoured in any regime when
 *      given true): quarantine, never return to the supplier (§1.4)
 *   3. seed §1.1, top to bottom, terminating at the first applicable
 *      disposition; IATF special characteristics enter the first branch
 *      (zero tolerance: no use-as-is) (§1.3)
 *   4. the economics of §7.3 where §1.1 asks an economic question
 *   5. the §1.2 authority matrix and its additional requirements
 *   6. the regime rules: §1.2 FDA, §1.3 IATF, §1.4 AS9100
 *   7. §3.1 CAPA initiation criteria
 *
 * Rework economics (seed §1.1 and §7.3 both speak): rework is economical
 * only when BOTH the §1.1 level "rework cost < 60 % of replacement cost"
 * (tested as 5 C_rework < 3 C_replacement; costs so large that a product
 * overflows are compared as C_rework / 3 < C_replacement / 5) AND the §7.3
 * model "C_rework + C_reinspect < C_replacement x (1 + premium)" hold.
 * Every strict "<" of the seed between computed amounts is qe_dec_less(): as
 * in decimal arithmetic, so that an amount exactly at the threshold is not
 * below it (0.06 is 60 % of 0.10).
 * The §1.1 level is a level of the universal flow, which must not be
 * skipped; §7.3 adds the re-inspection cost and lets urgency count.
 */
#include "disposition/disposition.h"
#include "common/dec_compare.h"

#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <string.h>

/*
 * A cost for the decision path: two decimals as money is written, or, for
 * magnitudes where that would print hundreds of digits and push the step's
 * conclusion past its length, six significant digits.  Rotating buffers:
 * one step prints up to five costs.
 */
static const char *
cost(double v)
{
	static char buf[8][40];
	static int	next = 0;
	char	   *b = buf[next];

	next = (next + 1) % 8;
	if (fabs(v) < 1e15 && (v == 0.0 || fabs(v) >= 0.01))
		snprintf(b, sizeof(buf[0]), "%.2f", v);
	else
		snprintf(b, sizeof(buf[0]), "%.6g", v);	/* huge, or below a cent: not 0.00 */
	return b;
}

/* The urgency premium as written: two decimals (0.25) unless it has more (0.004). */
static const char *
premium_text(double p)
{
	static char buf[40];

	if (fabs(p) < 1e13 && fabs(p * 100.0 - round(p * 100.0)) < 1e-9)
		snprintf(buf, sizeof(buf), "%.2f", p);
	else
		snprintf(buf, sizeof(buf), "%.6g", p);
	return buf;
}

/* Walk context. */
typedef struct Walk
{
	const DispFacts *f;
	DispResult *r;
	int			regime;
	bool		safety_path;	/* decided in §1.1's first branch */
	bool		capa_required;
	bool		stopped;		/* a question was put */
} Walk;

/* ---------------- output helpers ---------------- */

#if defined(__GNUC__)
#define DISP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DISP_PRINTF(f, a)
#endif

static void step(Walk *w, const char *fmt,...) DISP_PRINTF(2, 3);
static void action(Walk *w, const char *fmt,...) DISP_PRINTF(2, 3);
static void approval(Walk *w, const char *fmt,...) DISP_PRINTF(2, 3);

static void vput(char (*arr)[DISP_TEXT_LEN], int *n, int max, bool *overflow,
				 const char *fmt, va_list ap) DISP_PRINTF(5, 0);

static void
vput(char (*arr)[DISP_TEXT_LEN], int *n, int max, bool *overflow, const char *fmt, va_list ap)
{
	if (*n >= max)
	{
		*overflow = true;
		return;
	}
	vsnprintf(arr[*n], DISP_TEXT_LEN, fmt, ap);
	(*n)++;
}

static void
step(Walk *w, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vput(w->r->steps, &w->r->n_steps, DISP_MAX_STEPS, &w->r->overflow, fmt, ap);
	va_end(ap);
}

static void
action(Walk *w, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vput(w->r->actions, &w->r->n_actions, DISP_MAX_ITEMS, &w->r->overflow, fmt, ap);
	va_end(ap);
}

static void
approval(Walk *w, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vput(w->r->approvals, &w->r->n_approvals, DISP_MAX_ITEMS, &w->r->overflow, fmt, ap);
	va_end(ap);
}

static void
role(Walk *w, const char *name)
{
	if (w->r->n_roles >= DISP_MAX_ROLES)
	{
		w->r->overflow = true;
		return;
	}
	w->r->roles[w->r->n_roles++] = name;
}

static void
notify(Walk *w, const char *recipient, const char *subject, int days, int hours, const char *basis)
{
	DispNotification *n;
	const DispValue *at = &w->f->v[DF_DISCOVERED_AT];

	if (w->r->n_notes >= DISP_MAX_NOTES)
	{
		w->r->overflow = true;
		return;
	}
	n = &w->r->notes[w->r->n_notes++];
	n->recipient = recipient;
	n->subject = subject;
	n->within_days = days;
	n->within_hours = hours;
	n->basis = basis;
	n->has_due = at->known && (days > 0 || hours > 0);
	n->due_unix_us = n->has_due
		? at->unix_us + ((int64_t) days * 24 + hours) * INT64_C(3600000000)
		: 0;
}

/* ---------------- facts ---------------- */

static const char *
yesno(bool b)
{
	return b ? "yes" : "no";
}

/* Stop the walk with fact id's question.  Always returns false. */
static bool
ask(Walk *w, DispFactId id)
{
	const DispFactDesc *d = &disp_fact_table[id];

	w->stopped = true;
	w->r->status = DISP_STATUS_QUESTION;
	w->r->next_fact = id;
	snprintf(w->r->question, DISP_TEXT_LEN, "%s", d->question);
	step(w, "stop: %s unknown; %s asks: %s", d->key, d->seed, d->question);
	return false;
}

/* true and *out set when known; false (question put) otherwise */
static bool
need_bool(Walk *w, DispFactId id, bool *out)
{
	*out = false;
	if (!w->f->v[id].known)
		return ask(w, id);
	*out = w->f->v[id].b;
	return true;
}

static bool
need_num(Walk *w, DispFactId id, double *out)
{
	*out = 0.0;
	if (!w->f->v[id].known)
		return ask(w, id);
	*out = w->f->v[id].num;
	return true;
}

static bool
need_choice(Walk *w, DispFactId id, int *out)
{
	*out = 0;
	if (!w->f->v[id].known)
		return ask(w, id);
	*out = w->f->v[id].choice;
	return true;
}

/* A boolean question answered: need it, record "§x: question: yes/no". */
#define ASK_BOOL(w, id, var) \
	do { \
		if (!need_bool((w), (id), &(var))) \
			return false; \
		step((w), "%s %s %s", disp_fact_table[id].seed, \
			 disp_fact_table[id].question, yesno(var)); \
	} while (0)

#define NEED_NUM(w, id, var) \
	do { \
		if (!need_num((w), (id), &(var))) \
			return false; \
	} while (0)

/* ---------------- economics (§1.1 + §7.3) ---------------- */

/*
 * Decide rework against scrap for a reworkable part on economic grounds.
 * Returns false when a question was put; *rework otherwise.
 */
static bool
rework_economical(Walk *w, bool *rework)
{
	double		c_rework,
				c_repl,
				c_reinsp,
				premium;

	NEED_NUM(w, DF_REWORK_COST, c_rework);
	NEED_NUM(w, DF_REPLACEMENT_COST, c_repl);
	if (!(isinf(5.0 * c_rework) || isinf(3.0 * c_repl)
		  ? qe_dec_less(c_rework / 3.0, c_repl / 5.0)
		  : qe_dec_less(5.0 * c_rework, 3.0 * c_repl)))
	{
		step(w, "§1.1 Is rework cost < 60%% of replacement cost? no: rework %s >= 0.60 x %s: SCRAP (rework is not economical)",
			 cost(c_rework), cost(c_repl));
		*rework = false;
		return true;
	}
	step(w, "§1.1 Is rework cost < 60%% of replacement cost? yes: rework %s < 0.60 x %s",
		 cost(c_rework), cost(c_repl));
	NEED_NUM(w, DF_REINSPECT_COST, c_reinsp);
	NEED_NUM(w, DF_URGENCY_PREMIUM, premium);
	*rework = qe_dec_less(c_rework + c_reinsp, c_repl * (1.0 + premium));
	if (isinf(c_rework + c_reinsp) || isinf(c_repl * (1.0 + premium)))
		*rework = (long double) c_rework + c_reinsp < (long double) c_repl * (1.0L + premium);	/* beyond double */
	step(w, "§7.3 Rework if C_rework + C_reinspect < C_replacement x (1 + premium): %s + %s %s %s x (1 + %s) = %s: %s",
		 cost(c_rework), cost(c_reinsp), *rework ? "<" : ">=", cost(c_repl), premium_text(premium),
		 cost(c_repl * (1.0 + premium)), *rework ? "rework" : "scrap (rework is not economical)");
	return true;
}

/* "REWORK or SCRAP (depending on feasibility)", then economics. */
static bool
rework_or_scrap(Walk *w, DispDisposition *d)
{
	bool		reworkable,
				econ;

	ASK_BOOL(w, DF_REWORKABLE, reworkable);
	if (!reworkable)
	{
		*d = DISP_SCRAP;
		step(w, "not reworkable to full conformance: SCRAP");
		return true;
	}
	if (!rework_economical(w, &econ))
		return false;
	*d = econ ? DISP_REWORK : DISP_SCRAP;
	return true;
}

/* ---------------- §1.1 ---------------- */

static bool
flow_safety(Walk *w, DispDisposition *d)
{
	bool		reworkable;

	ASK_BOOL(w, DF_REWORKABLE, reworkable);
	if (reworkable)
	{
		*d = DISP_REWORK;
		step(w, "§1.1 safety-critical/regulatory-controlled and reworkable to FULL conformance: REWORK with approved procedure + 100%% re-inspection (not an economic decision, §7.3 applies only when disposition is not dictated by safety or regulatory requirements)");
		action(w, "100%% re-inspection of the reworked units (§1.1)");
	}
	else
	{
		*d = DISP_SCRAP;
		step(w, "§1.1 safety-critical/regulatory-controlled and not reworkable to full conformance: SCRAP (no use-as-is permitted without formal risk assessment AND regulatory/customer approval)");
	}
	return true;
}

static bool
flow_form_fit_function(Walk *w, DispDisposition *d)
{
	bool		reworkable,
				repairable,
				econ;

	ASK_BOOL(w, DF_REWORKABLE, reworkable);
	if (reworkable)
	{
		if (!rework_economical(w, &econ))
			return false;
		*d = econ ? DISP_REWORK : DISP_SCRAP;
		return true;
	}
	ASK_BOOL(w, DF_REPAIRABLE, repairable);
	if (!repairable)
	{
		*d = DISP_SCRAP;
		step(w, "§1.1 neither reworkable nor repairable: SCRAP");
		return true;
	}
	*d = DISP_REPAIR;
	step(w, "§1.1 REPAIR with engineering concession + customer approval (if required by contract/standard)");
	approval(w, "engineering concession (§1.1)");
	if (w->regime == DISP_REGIME_AS9100)
		step(w, "§1.4 AS9100: repair ALWAYS requires customer approval (§8.7.1); contract question not needed");
	else
	{
		bool		cust;

		ASK_BOOL(w, DF_CONTRACT_REQUIRES_CUSTOMER_APPROVAL, cust);
		if (cust)
			approval(w, "customer approval of the repair (required by contract/standard, §1.1)");
	}
	return true;
}

static bool
flow_cosmetic(Walk *w, DispDisposition *d)
{
	bool		spec,
				meets,
				granted;

	ASK_BOOL(w, DF_CUSTOMER_COSMETIC_SPEC, spec);
	if (!spec)
	{
		*d = DISP_USE_AS_IS;
		step(w, "§1.1 cosmetic only, no customer cosmetic requirement: USE-AS-IS with engineering sign-off");
		approval(w, "engineering sign-off (§1.1)");
		return true;
	}
	ASK_BOOL(w, DF_MEETS_COSMETIC_SPEC, meets);
	if (meets)
	{
		*d = DISP_USE_AS_IS;
		step(w, "§1.1 meets the customer cosmetic spec: USE-AS-IS with documentation");
		action(w, "document the use-as-is decision against the customer cosmetic spec (§1.1)");
		return true;
	}
	step(w, "§1.1 does not meet the customer cosmetic spec: customer concession required");
	ASK_BOOL(w, DF_CUSTOMER_CONCESSION, granted);
	if (granted)
	{
		*d = DISP_USE_AS_IS;
		step(w, "§1.1 customer concession granted: USE-AS-IS");
		approval(w, "customer concession (granted; record its reference, §1.1, §8.2)");
		return true;
	}
	step(w, "§1.1 customer concession denied: REWORK or SCRAP");
	return rework_or_scrap(w, d);
}

/* §1.1 dimensional branch, with the §7.3 use-as-is test */
static bool
flow_dimensional(Walk *w, DispDisposition *d)
{
	bool		affects,
				just;
	double		risk,
				acceptable,
				c_uai,
				c_sor;

	ASK_BOOL(w, DF_AFFECTS_ASSEMBLY_OR_PERFORMANCE, affects);
	if (affects)
	{
		step(w, "§1.1 the dimension affects assembly or performance: REWORK or SCRAP (depending on feasibility)");
		return rework_or_scrap(w, d);
	}
	step(w, "§1.1 the dimension affects neither assembly nor performance: USE-AS-IS with documented engineering justification, subject to §7.3");
	ASK_BOOL(w, DF_ENGINEERING_JUSTIFICATION, just);
	if (!just)
	{
		step(w, "§7.3 use-as-is needs documented engineering justification: none, so REWORK or SCRAP");
		return rework_or_scrap(w, d);
	}
	NEED_NUM(w, DF_FUNCTIONAL_RISK, risk);
	NEED_NUM(w, DF_ACCEPTABLE_RISK, acceptable);
	if (!(risk <= acceptable))
	{
		step(w, "§7.3 Risk_functional <= Acceptable_risk? no: %g > %g, so REWORK or SCRAP", risk, acceptable);
		return rework_or_scrap(w, d);
	}
	step(w, "§7.3 Risk_functional <= Acceptable_risk? yes: %g <= %g", risk, acceptable);
	NEED_NUM(w, DF_USE_AS_IS_COST, c_uai);
	NEED_NUM(w, DF_SORT_OR_REWORK_COST, c_sor);
	if (!(c_uai < c_sor))
	{
		step(w, "§7.3 C_use_as_is < C_sort_or_rework? no: %s >= %s, so REWORK or SCRAP", cost(c_uai), cost(c_sor));
		return rework_or_scrap(w, d);
	}
	step(w, "§7.3 C_use_as_is < C_sort_or_rework? yes: %s < %s: USE-AS-IS", cost(c_uai), cost(c_sor));
	*d = DISP_USE_AS_IS;
	approval(w, "documented engineering justification (§1.1, §7.3)");
	return true;
}

static bool
flow_supplier(Walk *w, DispDisposition *d)
{
	bool		needed;
	double		c_sort,
				c_freight,
				c_delay,
				yield;
	bool		cheaper,
				yields;

	ASK_BOOL(w, DF_NEEDED_IMMEDIATELY, needed);
	if (!needed)
	{
		*d = DISP_RETURN_TO_VENDOR;
		step(w, "§1.1 not needed immediately: RETURN TO VENDOR with SCAR + debit memo or replacement PO");
		return true;
	}
	NEED_NUM(w, DF_SORT_COST, c_sort);
	NEED_NUM(w, DF_RETURN_FREIGHT_COST, c_freight);
	NEED_NUM(w, DF_PRODUCTION_DELAY_COST, c_delay);
	NEED_NUM(w, DF_EXPECTED_YIELD, yield);
	cheaper = qe_dec_less(c_sort, c_freight + c_delay);
	yields = yield > 0.70;
	step(w, "§7.3 Sort if (C_sort < C_return_freight + C_production_delay) AND (expected yield > 70%%): %s %s %s + %s, yield %g%% %s 70%%",
		 cost(c_sort), cheaper ? "<" : ">=", cost(c_freight), cost(c_delay), yield * 100.0, yields ? ">" : "<=");
	if (cheaper && yields)
	{
		*d = DISP_SORT_AND_USE;
		step(w, "§1.1 needed immediately: Sort/rework at supplier's cost + USE acceptable units + SCAR to supplier + debit memo for sort/rework cost");
	}
	else
	{
		*d = DISP_RETURN_TO_VENDOR;
		step(w, "§7.3 sorting does not pay (or the yield is too low) although the material is needed: RETURN TO VENDOR with SCAR + replacement PO (expedite)");
	}
	return true;
}

/* seed §1.1 in order; false when a question was put or the tail was reached */
static bool
flow_universal(Walk *w, DispDisposition *d)
{
	bool		ans;

	ans = false;
	if (w->regime == DISP_REGIME_IATF)
		ASK_BOOL(w, DF_SPECIAL_CHARACTERISTIC, ans);
	else if (w->f->v[DF_SPECIAL_CHARACTERISTIC].known && w->f->v[DF_SPECIAL_CHARACTERISTIC].b)
	{
		ans = true;
		step(w, "§1.3 special characteristic given: the IATF zero-tolerance rule is applied in this regime too");
	}
	if (ans)
	{
		step(w, "§1.3 special characteristics have zero tolerance for non-conformance: 100%% containment and immediate CAPA; treated as the §1.1 safety-critical branch (no use-as-is)");
		action(w, "100%% containment of the special characteristic (§1.3)");
		w->capa_required = true;
		action(w, "CAPA: initiate immediately (§1.3 special characteristic)");
		w->safety_path = true;
		return flow_safety(w, d);
	}
	ASK_BOOL(w, DF_SAFETY_CRITICAL, ans);
	if (ans)
	{
		w->safety_path = true;
		return flow_safety(w, d);
	}
	ASK_BOOL(w, DF_AFFECTS_FORM_FIT_FUNCTION, ans);
	if (ans)
		return flow_form_fit_function(w, d);
	ASK_BOOL(w, DF_COSMETIC_ONLY, ans);
	if (ans)
		return flow_cosmetic(w, d);
	ASK_BOOL(w, DF_DIMENSIONAL_WITHIN_MRB_AUTHORITY, ans);
	if (ans)
		return flow_dimensional(w, d);
	ASK_BOOL(w, DF_SUPPLIER_CAUSED, ans);
	if (ans)
		return flow_supplier(w, d);

	/* "NO -> Evaluate per the functional impact path above" */
	w->stopped = true;
	w->r->status = DISP_STATUS_REASSESS;
	w->r->next_fact = DF_AFFECTS_FORM_FIT_FUNCTION;
	snprintf(w->r->question, DISP_TEXT_LEN, "%s",
			 "The non-conformance fits no category of seed §1.1 (not safety-critical, no form/fit/function effect, not cosmetic, not dimensional within MRB authority, not supplier-caused). §1.1 says: 'Evaluate per the functional impact path above'. Have engineering re-assess whether it affects form, fit or function, then evaluate again.");
	step(w, "§1.1 not supplier-caused either: Evaluate per the functional impact path above (re-assessment needed)");
	return false;
}

/* ---------------- counterfeit (§1.4) ---------------- */

static bool
counterfeit_check(Walk *w, bool *suspect)
{
	const DispValue *v = &w->f->v[DF_SUSPECTED_COUNTERFEIT];

	*suspect = false;
	if (w->regime == DISP_REGIME_AS9100)
		ASK_BOOL(w, DF_SUSPECTED_COUNTERFEIT, *suspect);
	else if (v->known && v->b)
	{
		*suspect = true;
		step(w, "§1.4 suspected counterfeit given: the AS9100 counterfeit rule is applied in this regime too");
	}
	if (!*suspect)
		return true;
	step(w, "§1.4 suspicion of counterfeit material: invoke the counterfeit prevention procedure; QUARANTINE separately; never return to the supplier; §1.1 does not apply until the suspicion is resolved");
	action(w, "invoke the counterfeit prevention procedure (AS9100 §8.1.4)");
	action(w, "quarantine the suspect material in a separate area from other MRB material (§1.4)");
	action(w, "retain the suspect material as possible evidence; do not return it to the supplier (§1.4)");
	if (w->f->v[DF_COUNTERFEIT_CONFIRMED].known)
	{
		if (w->f->v[DF_COUNTERFEIT_CONFIRMED].b)
		{
			step(w, "§1.4 counterfeit confirmed: report to GIDEP");
			notify(w, "GIDEP (Government-Industry Data Exchange Program)",
				   "report of confirmed counterfeit material", 0, 0, "§1.4 counterfeit confirmed");
		}
		else
			step(w, "§1.4 counterfeit not confirmed: no GIDEP report");
	}
	else
		action(w, "report to GIDEP if the counterfeit is confirmed (§1.4)");
	return true;
}

/* ---------------- §1.2 authority matrix ---------------- */

static void
authority(Walk *w, DispDisposition d)
{
	bool		fda = w->regime == DISP_REGIME_FDA;

	switch (d)
	{
		case DISP_SCRAP:
			w->r->authority = "Quality Engineer or above";
			role(w, "qe_engineer");
			action(w, "document the scrap with lot traceability (§1.2)");
			break;
		case DISP_REWORK:
			w->r->authority = "Quality Engineer + Manufacturing Engineering";
			role(w, "qe_engineer");
			action(w, "rework to an approved rework procedure (§1.2)");
			action(w, "re-inspect to the original specification (§1.2)");
			break;
		case DISP_REPAIR:
			w->r->authority = "MRB (Quality + Engineering + Manufacturing)";
			role(w, "qe_mrb");
			approval(w, "MRB (§1.2)");
			approval(w, fda ? "risk assessment per ISO 14971 (§1.2)" : "risk assessment (§1.2)");
			break;
		case DISP_USE_AS_IS:
			w->r->authority = "MRB + Design Authority";
			role(w, "qe_mrb");
			role(w, "qe_design_authority");
			approval(w, "MRB (§1.2)");
			approval(w, "design authority (§1.2)");
			approval(w, fda ? "risk assessment per ISO 14971 (§1.2)" : "risk assessment (§1.2)");
			action(w, "document the justification (§1.2)");
			if (fda)
				action(w, "regulatory impact evaluation (§1.2)");
			break;
		case DISP_RETURN_TO_VENDOR:
			w->r->authority = "Quality Engineer + Procurement";
			role(w, "qe_engineer");
			action(w, "SCAR to the supplier (§1.1, §1.2)");
			action(w, "debit memo or replacement PO (§1.1)");
			action(w, "supplier re-qualification if the non-conformance is repeated (§1.2)");
			break;
		case DISP_SORT_AND_USE:
			w->r->authority = "Quality Engineer + Procurement";
			role(w, "qe_engineer");
			action(w, "sort/rework at the supplier's cost and use the acceptable units (§1.1)");
			action(w, "SCAR to the supplier (§1.1)");
			action(w, "debit memo for the sort/rework cost (§1.1)");
			break;
		case DISP_QUARANTINE:
			w->r->authority = "Quality Engineer or above (hold pending the counterfeit investigation)";
			role(w, "qe_engineer");
			break;
		case DISP_NONE:
			break;
	}
	if (w->r->authority)
		step(w, "§1.2 authority: %s", w->r->authority);
}

/* ---------------- regime rules ---------------- */

static bool
regime_fda(Walk *w, DispDisposition d)
{
	int			phase;
	bool		ans;

	if (!need_choice(w, DF_LIFECYCLE_PHASE, &phase))
		return false;
	if (phase == DISP_PHASE_DESIGN)
	{
		step(w, "§1.2 pre-market (design) non-conformance: document in the DHF, consider risk per ISO 14971, CAPA almost always required");
		action(w, "document the non-conformance in the Design History File (DHF) (§1.2)");
		if (d != DISP_REPAIR && d != DISP_USE_AS_IS)
			approval(w, "risk assessment per ISO 14971: severity and probability of harm to the patient (§1.2)");
		action(w, "CAPA: initiate (§1.2: almost always required to prevent recurrence in production)");
		w->capa_required = true;
		if (d == DISP_USE_AS_IS)
		{
			step(w, "§1.2 use-as-is is rarely acceptable for a design non-conformance: it implies the design intent is wrong");
			approval(w, "design review of the design intent: use-as-is of a design non-conformance implies the design intent is wrong (§1.2)");
		}
		return true;
	}
	step(w, "§1.2 post-market (production/field) non-conformance");
	if (d == DISP_REPAIR)
		action(w, "update the DHF if the repair is design-related (§1.2)");
	ASK_BOOL(w, DF_COULD_AFFECT_SAFETY_OR_PERFORMANCE, ans);
	if (ans)
		action(w, "formal evaluation for field action (recall, correction, removal) per 21 CFR 806; document a decision NOT to file as rigorously as a decision to file (§1.2)");
	else
		step(w, "§1.2 no reasonable possibility of harm: no field-action evaluation");
	ASK_BOOL(w, DF_COMPLAINT_RELATED, ans);
	if (!ans)
		return true;
	action(w, "link the NCR to the complaint record per 21 CFR 820.198 (§1.2)");
	ASK_BOOL(w, DF_DEATH_OR_SERIOUS_INJURY, ans);
	if (!ans)
		return true;
	ASK_BOOL(w, DF_REMEDIAL_ACTION_REQUIRED, ans);
	if (ans)
		notify(w, "FDA", "Medical Device Report (MDR): event requiring remedial action", 5, 0,
			   "§1.2 MDR: 5 days for events requiring remedial action");
	else
		notify(w, "FDA", "Medical Device Report (MDR): death or serious injury", 30, 0,
			   "§1.2 MDR: death or serious injury within 30 calendar days");
	return true;
}

static bool
regime_iatf(Walk *w, DispDisposition d)
{
	bool		ans;
	const DispValue *cs = &w->f->v[DF_CONTROLLED_SHIPPING];

	ASK_BOOL(w, DF_SHIPPED_TO_CUSTOMER, ans);
	if (ans)
	{
		notify(w, "customer", "non-conformance on product shipped to the customer", 0, 24,
			   "§1.3 notification within 24 hours of discovery");
		if (w->f->v[DF_SUPPLIER_CAUSED].known && w->f->v[DF_SUPPLIER_CAUSED].b)
			action(w, "supplier escalation: Level 2 minimum, Level 3 if safety-related (§6.2: NC reaches customer)");
	}
	if (d == DISP_USE_AS_IS)
		approval(w, "formal deviation request to the customer through their supplier portal (e.g. GM GQTS, Ford MQAS, Stellantis SQP); the customer may accept, reject or accept with conditions (§1.3)");
	ASK_BOOL(w, DF_PROCESS_CHANGE, ans);
	if (ans)
		action(w, "PPAP resubmission for the process change (§1.3)");
	ASK_BOOL(w, DF_CONTROL_PLAN_GAP, ans);
	if (ans)
		action(w, "update the control plan as part of the corrective action (§1.3)");
	if (cs->known && cs->choice == DISP_CS_1)
		action(w, "CS-1 (customer-mandated): additional inspection/sort step beyond normal controls, inspection data submitted with each shipment (§1.3)");
	else if (cs->known && cs->choice == DISP_CS_2)
		action(w, "CS-2 (customer-mandated): third-party inspection at the supplier's facility, at the supplier's cost, reporting directly to customer quality (§1.3)");
	return true;
}

static bool
regime_as9100(Walk *w, DispDisposition d)
{
	bool		ans;

	action(w, "maintain lot, batch, heat and serial number traceability throughout the disposition (§1.4)");
	if (d == DISP_USE_AS_IS || d == DISP_REPAIR)
	{
		approval(w, "customer approval: use-as-is and repair ALWAYS require it (AS9100 §8.7.1, seed §1.4)");
		ASK_BOOL(w, DF_GOVERNMENT_CONTRACT, ans);
		if (ans)
			approval(w, "government quality representative (DCMA or equivalent) (§1.4)");
	}
	ASK_BOOL(w, DF_KEY_CHARACTERISTIC, ans);
	if (ans)
		notify(w, "design authority", "non-conformance on a part with key characteristics", 0, 0,
			   "§1.4 key characteristics");
	ASK_BOOL(w, DF_PROCESS_CHANGE, ans);
	if (ans)
		action(w, "First Article Inspection is invalid: partial or full FAI resubmission per AS9102 (§1.4)");
	if (d == DISP_SCRAP)
	{
		ASK_BOOL(w, DF_SERIALIZED, ans);
		if (ans)
			action(w, "documented destruction of the serialized parts to prevent re-entry into the supply chain (§1.4)");
	}
	if (w->f->v[DF_SUPPLIER_CAUSED].known && w->f->v[DF_SUPPLIER_CAUSED].b)
		action(w, "OASIS database update may be required for this supplier quality event (§1.4)");
	return true;
}

/* ---------------- §3.1 CAPA ---------------- */

static bool
capa(Walk *w)
{
	const DispValue *c = &w->f->v[DF_COMPLAINT_RELATED];
	double		n;

	if (c->known && c->b && !w->capa_required)
	{
		w->capa_required = true;
		action(w, "CAPA: initiate (§3.1: customer complaint)");
	}
	if (w->capa_required)
	{
		step(w, "§3.1 CAPA already required");
		return true;
	}
	if (!need_num(w, DF_OCCURRENCES_12M, &n))
		return false;
	if (n >= 3)
	{
		step(w, "§3.1 same failure mode %g times in 12 months (3+): always initiate CAPA", n);
		action(w, "CAPA: initiate (§3.1: repeat non-conformance, 3+ times in 12 months)");
	}
	else if (n == 2)
	{
		step(w, "§3.1 same failure mode 2 times in 12 months: consider CAPA (judgment call)");
		action(w, "CAPA: consider (§3.1 judgment call: repeat non-conformance, 2 times in 12 months)");
	}
	else
		step(w, "§3.1 first occurrence in 12 months: no CAPA for recurrence (do NOT initiate CAPA for an isolated non-conformance fully addressed by its disposition)");
	return true;
}

/* ---------------- entry point ---------------- */

static bool
walk(Walk *w)
{
	DispDisposition d = DISP_NONE;
	bool		suspect;
	static const char *regime_names[] = {
		"", "general (seed §1.1 and §7.3 only)", "FDA 21 CFR 820 / ISO 13485 (§1.2)",
		"IATF 16949 (§1.3)", "AS9100 (§1.4)"
	};

	if (!need_choice(w, DF_REGIME, &w->regime))
		return false;
	step(w, "regime: %s", regime_names[w->regime]);
	if (w->regime == DISP_REGIME_IATF)
		action(w, "follow the reaction plan column of the control plan first, then investigate (§1.3)");

	if (!counterfeit_check(w, &suspect))
		return false;
	if (suspect)
		d = DISP_QUARANTINE;
	else if (!flow_universal(w, &d))
		return false;

	authority(w, d);
	switch (w->regime)
	{
		case DISP_REGIME_FDA:
			if (!regime_fda(w, d))
				return false;
			break;
		case DISP_REGIME_IATF:
			if (!regime_iatf(w, d))
				return false;
			break;
		case DISP_REGIME_AS9100:
			if (!regime_as9100(w, d))
				return false;
			break;
		default:
			break;
	}
	if (!capa(w))
		return false;
	w->r->disposition = d;
	step(w, "disposition: %s", disp_disposition_name(d));
	return true;
}

void
disp_evaluate(const DispFacts *f, DispResult *r)
{
	Walk		w;

	/* reset the counters only: the text arrays are written before they are read */
	r->status = DISP_STATUS_DECIDED;
	r->disposition = DISP_NONE;
	r->next_fact = -1;
	r->question[0] = '\0';
	r->authority = NULL;
	r->n_roles = r->n_approvals = r->n_notes = r->n_actions = r->n_steps = 0;
	r->overflow = false;
	memset(&w, 0, sizeof(w));
	w.f = f;
	w.r = r;
	if (walk(&w))
	{
		r->status = DISP_STATUS_DECIDED;
		return;
	}
	/* undecided: keep the path, drop partial outcomes */
	r->disposition = DISP_NONE;
	r->authority = NULL;
	r->n_roles = 0;
	r->n_approvals = 0;
	r->n_actions = 0;
	r->n_notes = 0;
}

const char *
disp_disposition_name(DispDisposition d)
{
	switch (d)
	{
		case DISP_NONE:
			return NULL;
		case DISP_SCRAP:
			return "scrap";
		case DISP_REWORK:
			return "rework";
		case DISP_REPAIR:
			return "repair";
		case DISP_USE_AS_IS:
			return "use_as_is";
		case DISP_RETURN_TO_VENDOR:
			return "return_to_vendor";
		case DISP_SORT_AND_USE:
			return "sort_and_use";
		case DISP_QUARANTINE:
			return "quarantine";
	}
	return NULL;
}

const char *
disp_status_name(DispStatus s)
{
	switch (s)
	{
		case DISP_STATUS_DECIDED:
			return "decided";
		case DISP_STATUS_QUESTION:
			return "question";
		case DISP_STATUS_REASSESS:
			return "reassess";
	}
	return "?";
}
