/*
 * Unit tests of the pure disposition engine (src/disposition/).  Each case
 * quotes the seed wording it checks (/work/shared/seeds/002, §1.1-§1.4,
 * §3.1, §7.3).  A property test at the end walks random fact sets.
 */
#include "disposition/disposition.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* Build facts from "key=value key=value ...": t/f booleans, numbers, text. */
static DispFacts
F(const char *spec)
{
	DispFacts	f;
	char		buf[2048];
	char	   *save = NULL;

	disp_facts_init(&f);
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
	{
		char	   *eq = strchr(tok, '=');
		int			id;
		DispSetStatus st;

		if (!eq)
			abort();
		*eq = '\0';
		id = disp_fact_lookup(tok, strlen(tok));
		if (id < 0)
		{
			fprintf(stderr, "bad key %s\n", tok);
			abort();
		}
		switch (disp_fact_table[id].kind)
		{
			case DK_BOOL:
				st = disp_set_bool(&f, id, eq[1] == 't');
				break;
			case DK_CHOICE:
			case DK_TIMESTAMP:
				st = disp_set_text(&f, id, eq + 1, strlen(eq + 1));
				break;
			default:
				st = disp_set_number(&f, id, atof(eq + 1));
				break;
		}
		if (st != DISP_SET_OK)
		{
			fprintf(stderr, "bad value %s=%s\n", tok, eq + 1);
			abort();
		}
	}
	return f;
}

#ifndef DISP_RANDOM_ITERS
#define DISP_RANDOM_ITERS 200000
#endif

static DispResult R;

static const DispResult *
eval(const char *spec)
{
	DispFacts	f = F(spec);

	disp_evaluate(&f, &R);
	return &R;
}

static int
has(const char (*items)[DISP_TEXT_LEN], int n, const char *needle)
{
	for (int i = 0; i < n; i++)
		if (strstr(items[i], needle))
			return 1;
	return 0;
}

#define HAS_ACTION(r, s)   has((const char (*)[DISP_TEXT_LEN]) (r)->actions, (r)->n_actions, (s))
#define HAS_APPROVAL(r, s) has((const char (*)[DISP_TEXT_LEN]) (r)->approvals, (r)->n_approvals, (s))
#define HAS_STEP(r, s)     has((const char (*)[DISP_TEXT_LEN]) (r)->steps, (r)->n_steps, (s))

static int
has_note(const DispResult *r, const char *recipient, int days, int hours)
{
	for (int i = 0; i < r->n_notes; i++)
		if (strcmp(r->notes[i].recipient, recipient) == 0 &&
			r->notes[i].within_days == days && r->notes[i].within_hours == hours)
			return 1;
	return 0;
}

static void
is_disp(const DispResult *r, DispDisposition want, const char *what)
{
	int			ok = r->status == DISP_STATUS_DECIDED && r->disposition == want && !r->overflow;

	tap_ok(ok, "%s", what);
	if (!ok)
	{
		printf("#   got status %s disposition %s next %s\n", disp_status_name(r->status),
			   disp_disposition_name(r->disposition) ? disp_disposition_name(r->disposition) : "(none)",
			   r->next_fact >= 0 ? disp_fact_table[r->next_fact].key : "-");
		for (int i = 0; i < r->n_steps; i++)
			printf("#   step %s\n", r->steps[i]);
	}
}

static void
asks(const DispResult *r, DispFactId want, const char *what)
{
	int			ok = r->status == DISP_STATUS_QUESTION && r->next_fact == (int) want &&
		r->disposition == DISP_NONE && r->n_actions == 0 && r->n_approvals == 0 &&
		strcmp(r->question, disp_fact_table[want].question) == 0;

	tap_ok(ok, "%s", what);
	if (!ok)
		printf("#   got status %s next %s\n", disp_status_name(r->status),
			   r->next_fact >= 0 ? disp_fact_table[r->next_fact].key : "-");
}

/* general regime, no recurrence: the base of most §1.1 cases */
#define G "regime=general occurrences_12m=1 "
#define NOT_SAFETY "safety_critical=f "
#define FFF NOT_SAFETY "affects_form_fit_function=t "
#define COSM NOT_SAFETY "affects_form_fit_function=f cosmetic_only=t "
#define DIM NOT_SAFETY "affects_form_fit_function=f cosmetic_only=f dimensional_within_mrb_authority=t "
#define SUP NOT_SAFETY "affects_form_fit_function=f cosmetic_only=f dimensional_within_mrb_authority=f supplier_caused=t "
#define ECON_OK "rework_cost=40 replacement_cost=100 reinspect_cost=5 urgency_premium=0 "

static void
test_universal_flow(void)
{
	const DispResult *r;

	/* order: the flow terminates at the first applicable disposition; do not skip levels */
	asks(eval("regime=general affects_form_fit_function=t reworkable=t"), DF_SAFETY_CRITICAL,
		 "§1.1 'do not skip levels': with form/fit/function known but safety unknown, the first question is 'Is the part safety-critical or regulatory-controlled?'");
	asks(eval(""), DF_REGIME, "no facts: the regime is asked first");

	/* safety-critical branch */
	r = eval(G "safety_critical=t reworkable=t rework_cost=99 replacement_cost=100");
	is_disp(r, DISP_REWORK, "§1.1 safety-critical, 'Can it be reworked to FULL conformance? YES -> REWORK with approved procedure + 100% re-inspection'");
	tap_ok(HAS_ACTION(r, "100% re-inspection") && HAS_ACTION(r, "approved rework procedure"),
		   "§1.1 safety rework carries 'approved procedure + 100%% re-inspection'");
	tap_ok(!HAS_STEP(r, "60%"), "§7.3 'When disposition is not dictated by safety or regulatory requirements': no economics on the safety branch");
	r = eval(G "safety_critical=t reworkable=f cosmetic_only=t customer_cosmetic_spec=f");
	is_disp(r, DISP_SCRAP, "§1.1 safety-critical, not reworkable -> 'SCRAP (no use-as-is permitted without formal risk assessment AND regulatory/customer approval)', even when cosmetic facts would allow use-as-is");

	/* form, fit, function */
	is_disp(eval(G FFF "reworkable=t " ECON_OK), DISP_REWORK,
			"§1.1 FFF, reworkable, 'Is rework cost < 60% of replacement cost? YES -> REWORK' (40 < 60) and §7.3 45 < 100");
	r = eval(G FFF "reworkable=t rework_cost=60 replacement_cost=100");
	is_disp(r, DISP_SCRAP, "§1.1 'NO -> SCRAP (rework is not economical)': rework 60 is not < 60 % of 100 (boundary)");
	tap_ok(HAS_STEP(r, "not economical"), "the path says 'rework is not economical'");
	is_disp(eval(G FFF "reworkable=t rework_cost=59.99 replacement_cost=100 reinspect_cost=0 urgency_premium=0"), DISP_REWORK,
			"§1.1 rework 59.99 < 60 %% of 100 -> REWORK");
	is_disp(eval(G FFF "reworkable=t rework_cost=0.6 replacement_cost=1 reinspect_cost=0 urgency_premium=0"), DISP_SCRAP,
			"§1.1 60 %% rule exact in binary: 0.6 is not < 0.6 x 1");
	is_disp(eval(G FFF "reworkable=t rework_cost=1e308 replacement_cost=1.7e308 reinspect_cost=0 urgency_premium=0"), DISP_REWORK,
			"§1.1 costs near the top of double precision: 1e308 < 60 %% of 1.7e308 -> REWORK (5 x 1e308 once overflowed: scrap)");
	r = eval(G FFF "reworkable=t rework_cost=1e300 replacement_cost=1.7e300 reinspect_cost=0 urgency_premium=0");
	tap_ok(HAS_STEP(r, ": rework") && HAS_STEP(r, "1e+300"),
		   "costs of 1e300 print in six digits, so the step keeps its conclusion (300-digit numbers once pushed it out)");
	is_disp(eval(G FFF "reworkable=t rework_cost=1.1e308 replacement_cost=1.7e308 reinspect_cost=0 urgency_premium=0"), DISP_SCRAP,
			"§1.1 1.1e308 is not < 60 %% of 1.7e308 -> SCRAP");
	asks(eval(G FFF "reworkable=t rework_cost=50 replacement_cost=100"), DF_REINSPECT_COST,
		 "§7.3 after the 60 %% level passes, C_reinspect is asked");
	asks(eval(G FFF "reworkable=t rework_cost=50 replacement_cost=100 reinspect_cost=10"), DF_URGENCY_PREMIUM,
		 "§7.3 then the urgency premium is asked");
	is_disp(eval(G FFF "reworkable=t rework_cost=50 replacement_cost=100 reinspect_cost=50 urgency_premium=0"), DISP_SCRAP,
			"§7.3 'Rework if: C_rework + C_reinspect < C_replacement x (1 + premium)': 50 + 50 is not < 100 x 1 -> scrap");
	is_disp(eval(G FFF "reworkable=t rework_cost=50 replacement_cost=100 reinspect_cost=50 urgency_premium=0.5"), DISP_REWORK,
			"§7.3 premium '10-50%% if production impact': 100 < 100 x 1.5 -> rework");
	is_disp(eval(G FFF "reworkable=t rework_cost=50 replacement_cost=100 reinspect_cost=100 urgency_premium=0.5"), DISP_SCRAP,
			"§7.3 boundary: 150 is not < 150 -> scrap");
	is_disp(eval(G FFF "reworkable=t rework_cost=59 replacement_cost=100 reinspect_cost=50 urgency_premium=1"), DISP_REWORK,
			"§7.3 premium '100%%+ if customer delivery at risk': 109 < 200 -> rework");
	is_disp(eval(G FFF "reworkable=t rework_cost=70 replacement_cost=100 reinspect_cost=0 urgency_premium=1"), DISP_SCRAP,
			"decision: both rules must hold, urgency does not override the §1.1 60 %% level (70 >= 60)");

	r = eval(G FFF "reworkable=f repairable=t contract_requires_customer_approval=f");
	is_disp(r, DISP_REPAIR, "§1.1 'Can it be repaired to acceptable function? YES -> REPAIR with engineering concession'");
	tap_ok(HAS_APPROVAL(r, "engineering concession") && !HAS_APPROVAL(r, "customer approval"),
		   "§1.1 repair: engineering concession, no customer approval when the contract does not require it");
	asks(eval(G FFF "reworkable=f repairable=t"), DF_CONTRACT_REQUIRES_CUSTOMER_APPROVAL,
		 "§1.1 repair: 'customer approval (if required by contract/standard)' is asked");
	r = eval(G FFF "reworkable=f repairable=t contract_requires_customer_approval=t");
	tap_ok(HAS_APPROVAL(r, "customer approval of the repair"), "§1.1 repair with customer approval required by contract");
	is_disp(eval(G FFF "reworkable=f repairable=f"), DISP_SCRAP, "§1.1 FFF, not reworkable, 'repaired to acceptable function? NO -> SCRAP'");

	/* cosmetic */
	r = eval(G COSM "customer_cosmetic_spec=f");
	is_disp(r, DISP_USE_AS_IS, "§1.1 cosmetic, 'Does customer spec address cosmetic requirements? NO -> USE-AS-IS with engineering sign-off'");
	tap_ok(HAS_APPROVAL(r, "engineering sign-off"), "§1.1 engineering sign-off is an approval");
	is_disp(eval(G COSM "customer_cosmetic_spec=t meets_cosmetic_spec=t"), DISP_USE_AS_IS,
			"§1.1 'Does the part meet customer cosmetic spec? YES -> USE-AS-IS with documentation'");
	r = eval(G COSM "customer_cosmetic_spec=t meets_cosmetic_spec=f");
	asks(r, DF_CUSTOMER_CONCESSION, "§1.1 'NO -> Customer concession required': the engine waits for the customer's answer");
	tap_ok(HAS_STEP(r, "customer concession required"), "the path records 'customer concession required'");
	r = eval(G COSM "customer_cosmetic_spec=t meets_cosmetic_spec=f customer_concession=t");
	is_disp(r, DISP_USE_AS_IS, "§1.1 'If granted: USE-AS-IS'");
	tap_ok(HAS_APPROVAL(r, "customer concession"), "granted concession listed as approval (reference for §8.2)");
	is_disp(eval(G COSM "customer_cosmetic_spec=t meets_cosmetic_spec=f customer_concession=f reworkable=f"), DISP_SCRAP,
			"§1.1 'If denied: REWORK or SCRAP': not reworkable -> scrap");
	is_disp(eval(G COSM "customer_cosmetic_spec=t meets_cosmetic_spec=f customer_concession=f reworkable=t " ECON_OK), DISP_REWORK,
			"§1.1 'If denied: REWORK or SCRAP': reworkable and economical -> rework");

	/* dimensional */
	is_disp(eval(G DIM "affects_assembly_or_performance=t reworkable=t " ECON_OK), DISP_REWORK,
			"§1.1 dimensional, 'does the dimension affect assembly or performance? YES -> REWORK or SCRAP (depending on feasibility)': rework");
	is_disp(eval(G DIM "affects_assembly_or_performance=t reworkable=f"), DISP_SCRAP,
			"§1.1 dimensional affecting assembly, not feasible -> scrap");
#define UAI "affects_assembly_or_performance=f engineering_justification=t functional_risk=0.01 acceptable_risk=0.02 use_as_is_cost=100 sort_or_rework_cost=500 "
	r = eval(G DIM UAI);
	is_disp(r, DISP_USE_AS_IS, "§1.1 'NO -> USE-AS-IS with documented engineering justification' and §7.3 risk 0.01 <= 0.02, 100 < 500");
	tap_ok(HAS_APPROVAL(r, "documented engineering justification"), "justification listed");
	is_disp(eval(G DIM "affects_assembly_or_performance=f engineering_justification=t functional_risk=0.02 acceptable_risk=0.02 use_as_is_cost=100 sort_or_rework_cost=500"),
			DISP_USE_AS_IS, "§7.3 'Risk_functional <= Acceptable_risk' holds at equality");
	is_disp(eval(G DIM "affects_assembly_or_performance=f engineering_justification=t functional_risk=0.03 acceptable_risk=0.02 reworkable=f"),
			DISP_SCRAP, "§7.3 risk 0.03 > acceptable 0.02: no use-as-is -> rework or scrap (scrap)");
	is_disp(eval(G DIM "affects_assembly_or_performance=f engineering_justification=t functional_risk=0.01 acceptable_risk=0.02 use_as_is_cost=500 sort_or_rework_cost=500 reworkable=t " ECON_OK),
			DISP_REWORK, "§7.3 'C_use_as_is < C_sort_or_rework' fails at equality -> rework");
	is_disp(eval(G DIM "affects_assembly_or_performance=f engineering_justification=f reworkable=f"), DISP_SCRAP,
			"§7.3 'AND engineering provides documented justification': none -> no use-as-is");

	/* supplier */
	r = eval(G SUP "needed_immediately=f");
	is_disp(r, DISP_RETURN_TO_VENDOR, "§1.1 supplier-caused, 'needed immediately? NO -> RETURN TO VENDOR with SCAR + debit memo or replacement PO'");
	tap_ok(HAS_ACTION(r, "SCAR") && HAS_ACTION(r, "debit memo or replacement PO"), "RTV carries SCAR and debit memo / replacement PO");
#define SORT_OK "sort_cost=300 return_freight_cost=200 production_delay_cost=5000 expected_yield=0.9 "
	r = eval(G SUP "needed_immediately=t " SORT_OK);
	is_disp(r, DISP_SORT_AND_USE, "§1.1 'YES -> Sort/rework at supplier's cost + USE acceptable units' (§7.3 300 < 5200, yield 90 %% > 70 %%)");
	tap_ok(HAS_ACTION(r, "SCAR") && HAS_ACTION(r, "debit memo for the sort/rework cost") && HAS_ACTION(r, "supplier's cost"),
		   "§1.1 '+ SCAR to supplier + debit memo for sort/rework cost'");
	is_disp(eval(G SUP "needed_immediately=t sort_cost=300 return_freight_cost=200 production_delay_cost=5000 expected_yield=0.7"),
			DISP_RETURN_TO_VENDOR, "§7.3 'expected yield > 70%%': exactly 70 %% -> return");
	is_disp(eval(G SUP "needed_immediately=t sort_cost=5200 return_freight_cost=200 production_delay_cost=5000 expected_yield=0.9"),
			DISP_RETURN_TO_VENDOR, "§7.3 'C_sort < C_return_freight + C_production_delay': 5200 is not < 5200 -> return");
	asks(eval(G SUP "needed_immediately=t sort_cost=1"), DF_RETURN_FREIGHT_COST, "§7.3 sort costs are asked one by one");

	/* tail */
	r = eval(G NOT_SAFETY "affects_form_fit_function=f cosmetic_only=f dimensional_within_mrb_authority=f supplier_caused=f");
	tap_ok(r->status == DISP_STATUS_REASSESS && r->disposition == DISP_NONE && r->next_fact == DF_AFFECTS_FORM_FIT_FUNCTION &&
		   strstr(r->question, "Evaluate per the functional impact path above") != NULL,
		   "§1.1 not supplier-caused: 'NO -> Evaluate per the functional impact path above' (re-assess, no disposition)");
}

static void
test_authority(void)
{
	const DispResult *r;

	r = eval(G FFF "reworkable=f repairable=f");
	tap_ok(strcmp(r->authority, "Quality Engineer or above") == 0 && r->n_roles == 1 && strcmp(r->roles[0], "qe_engineer") == 0
		   && HAS_ACTION(r, "lot traceability"),
		   "§1.2 matrix 'Scrap: Quality Engineer or above; Documented with lot traceability'");
	r = eval(G FFF "reworkable=t " ECON_OK);
	tap_ok(strcmp(r->authority, "Quality Engineer + Manufacturing Engineering") == 0 && HAS_ACTION(r, "re-inspect to the original specification"),
		   "§1.2 matrix 'Rework: Quality Engineer + Manufacturing Engineering; Approved rework procedure; re-inspect to original spec'");
	r = eval(G FFF "reworkable=f repairable=t contract_requires_customer_approval=f");
	tap_ok(strncmp(r->authority, "MRB", 3) == 0 && strcmp(r->roles[0], "qe_mrb") == 0 && HAS_APPROVAL(r, "risk assessment"),
		   "§1.2 matrix 'Repair: MRB (Quality + Engineering + Manufacturing); Risk assessment'");
	r = eval(G COSM "customer_cosmetic_spec=f");
	tap_ok(strcmp(r->authority, "MRB + Design Authority") == 0 && r->n_roles == 2 && strcmp(r->roles[1], "qe_design_authority") == 0
		   && HAS_APPROVAL(r, "design authority") && HAS_ACTION(r, "justification"),
		   "§1.2 matrix 'Use-As-Is: MRB + Design Authority; Risk assessment; documented justification'");
	r = eval(G SUP "needed_immediately=f");
	tap_ok(strcmp(r->authority, "Quality Engineer + Procurement") == 0 && HAS_ACTION(r, "re-qualification"),
		   "§1.2 matrix 'RTV: Quality Engineer + Procurement; SCAR required; supplier re-qualification if repeated'");
	tap_ok(!HAS_ACTION(r, "regulatory impact"), "regulatory impact evaluation only under FDA");
}

#define FDA "regime=fda occurrences_12m=1 "

static void
test_fda(void)
{
	const DispResult *r;

	asks(eval(FDA FFF "reworkable=f repairable=f"), DF_LIFECYCLE_PHASE, "§1.2 FDA: pre-market or post-market is asked after §1.1");
	r = eval(FDA FFF "reworkable=f repairable=f lifecycle_phase=design");
	is_disp(r, DISP_SCRAP, "§1.2 design non-conformance scrapped");
	tap_ok(HAS_ACTION(r, "Design History File"), "§1.2 'must be documented in the Design History File (DHF)'");
	tap_ok(HAS_APPROVAL(r, "ISO 14971"), "§1.2 'Disposition must consider risk per ISO 14971'");
	tap_ok(HAS_ACTION(r, "CAPA: initiate") && HAS_STEP(r, "CAPA already required"), "§1.2 'CAPA is almost always required to prevent recurrence in production'");
	r = eval(FDA COSM "customer_cosmetic_spec=f lifecycle_phase=design");
	tap_ok(HAS_APPROVAL(r, "design intent is wrong") && HAS_ACTION(r, "regulatory impact evaluation"),
		   "§1.2 'Use-as-is is rarely acceptable for a design non-conformance; it implies the design intent is wrong' + matrix regulatory impact evaluation");
	r = eval(FDA FFF "reworkable=f repairable=t contract_requires_customer_approval=f lifecycle_phase=production could_affect_safety_or_performance=t complaint_related=f");
	tap_ok(HAS_APPROVAL(r, "risk assessment per ISO 14971"), "§1.2 matrix 'Repair: Risk assessment per ISO 14971'");
	tap_ok(HAS_ACTION(r, "update the DHF if the repair is design-related"), "§1.2 matrix 'Repair: ... update DHF if design-related'");
	tap_ok(HAS_ACTION(r, "21 CFR 806") && HAS_ACTION(r, "NOT to file"),
		   "§1.2 'evaluation for field action (recall, correction, removal) per 21 CFR 806'; 'Document the decision NOT to file'");
	asks(eval(FDA FFF "reworkable=f repairable=f lifecycle_phase=production"), DF_COULD_AFFECT_SAFETY_OR_PERFORMANCE,
		 "§1.2 post-market: 'could affect device safety or performance' is asked");
	r = eval(FDA FFF "reworkable=f repairable=f lifecycle_phase=production could_affect_safety_or_performance=f complaint_related=f");
	tap_ok(!HAS_ACTION(r, "806") && r->n_notes == 0, "§1.2 no possibility of harm, no complaint: no field action, no MDR");
	asks(eval(FDA FFF "reworkable=f repairable=f lifecycle_phase=production could_affect_safety_or_performance=t complaint_related=t"),
		 DF_DEATH_OR_SERIOUS_INJURY, "§1.2 complaint-related: MDR question 'death or serious injury'");
	r = eval(FDA FFF "reworkable=f repairable=f lifecycle_phase=production could_affect_safety_or_performance=t complaint_related=t death_or_serious_injury=t remedial_action_required=f discovered_at=2026-01-10T09:00:00Z");
	tap_ok(HAS_ACTION(r, "820.198"), "§1.2 'Complaint-related non-conformances must be linked to complaint records per 820.198'");
	tap_ok(has_note(r, "FDA", 30, 0), "§1.2 MDR 'death or serious injury must be reported to FDA within 30 calendar days'");
	tap_ok(r->notes[0].has_due && r->notes[0].due_unix_us == (INT64_C(1768035600) + 30 * 86400) * INT64_C(1000000),
		   "MDR due 2026-02-09T09:00:00Z (30 x 24 h after discovery)");
	tap_ok(HAS_ACTION(r, "CAPA: initiate (§3.1: customer complaint)"), "§3.1 'Customer complaint involving product performance, safety' -> CAPA");
	r = eval(FDA FFF "reworkable=f repairable=f lifecycle_phase=production could_affect_safety_or_performance=t complaint_related=t death_or_serious_injury=t remedial_action_required=t");
	tap_ok(has_note(r, "FDA", 5, 0) && !r->notes[0].has_due, "§1.2 MDR '(5 days for events requiring remedial action)'; no due time without discovered_at");
	r = eval(FDA FFF "reworkable=f repairable=f lifecycle_phase=production could_affect_safety_or_performance=f complaint_related=t death_or_serious_injury=f");
	tap_ok(r->n_notes == 0 && HAS_ACTION(r, "820.198"), "§1.2 complaint without death/serious injury: linked, no MDR");
}

#define IATF "regime=iatf occurrences_12m=1 special_characteristic=f "
#define IATF_TAIL "shipped_to_customer=f process_change=f control_plan_gap=f "

static void
test_iatf(void)
{
	const DispResult *r;

	asks(eval("regime=iatf safety_critical=f"), DF_SPECIAL_CHARACTERISTIC, "§1.3 IATF: special characteristic asked before §1.1");
	r = eval("regime=iatf occurrences_12m=1 special_characteristic=t reworkable=f " COSM "customer_cosmetic_spec=f " IATF_TAIL);
	is_disp(r, DISP_SCRAP, "§1.3 'Special characteristics ... have zero tolerance for non-conformance': no use-as-is, not reworkable -> scrap");
	tap_ok(HAS_ACTION(r, "100% containment") && HAS_ACTION(r, "CAPA: initiate immediately"),
		   "§1.3 '100%% containment and immediate CAPA'");
	tap_ok(HAS_ACTION(r, "reaction plan") && strstr(r->actions[0], "reaction plan") != NULL,
		   "§1.3 'The reaction plan column of the control plan specifies the predetermined response - follow it first'");
	r = eval(IATF FFF "reworkable=f repairable=f shipped_to_customer=t process_change=f control_plan_gap=f discovered_at=2026-03-02T08:15:00+01:00");
	tap_ok(has_note(r, "customer", 0, 24), "§1.3 'Any non-conformance on product shipped to the customer: notification within 24 hours of discovery'");
	tap_ok(r->notes[0].has_due && r->notes[0].due_unix_us == INT64_C(1772522100) * 1000000,
		   "24 h deadline due 2026-03-03T07:15:00Z");
	r = eval(IATF COSM "customer_cosmetic_spec=f " IATF_TAIL);
	tap_ok(HAS_APPROVAL(r, "formal deviation request"), "§1.3 'Use-as-is disposition: typically requires a formal deviation request to the customer'");
	r = eval(IATF FFF "reworkable=f repairable=f shipped_to_customer=f process_change=t control_plan_gap=t");
	tap_ok(HAS_ACTION(r, "PPAP resubmission"), "§1.3 'Any process change affecting fit, form, function, or performance: PPAP resubmission required'");
	tap_ok(HAS_ACTION(r, "update the control plan"), "§1.3 'When a non-conformance reveals a gap in the control plan, the control plan must be updated'");
	r = eval(IATF FFF "reworkable=f repairable=f " IATF_TAIL "controlled_shipping=cs1");
	tap_ok(HAS_ACTION(r, "CS-1"), "§1.3 'CS-1 (Internal Controlled Shipping)'");
	r = eval(IATF FFF "reworkable=f repairable=f " IATF_TAIL "controlled_shipping=CS-2");
	tap_ok(HAS_ACTION(r, "CS-2") && HAS_ACTION(r, "third-party"), "§1.3 'CS-2 (External Controlled Shipping): Third-party inspection'");
	r = eval(IATF SUP "needed_immediately=f shipped_to_customer=t process_change=f control_plan_gap=f");
	tap_ok(HAS_ACTION(r, "Level 2 minimum"), "§6.2 'NC reaches customer: Level 2 minimum; Level 3 if safety-related'");
}

#define AS "regime=as9100 occurrences_12m=1 suspected_counterfeit=f key_characteristic=f process_change=f "

static void
test_as9100(void)
{
	const DispResult *r;

	asks(eval("regime=as9100 safety_critical=f"), DF_SUSPECTED_COUNTERFEIT, "§1.4 AS9100: counterfeit suspicion asked first");
	r = eval(AS FFF "reworkable=f repairable=t government_contract=f");
	is_disp(r, DISP_REPAIR, "§1.4 repair");
	tap_ok(HAS_APPROVAL(r, "ALWAYS") && !HAS_APPROVAL(r, "DCMA"),
		   "§1.4 'Use-as-is and repair dispositions ALWAYS require customer approval per AS9100 §8.7.1' (no contract question)");
	r = eval(AS COSM "customer_cosmetic_spec=t meets_cosmetic_spec=t government_contract=t");
	tap_ok(HAS_APPROVAL(r, "ALWAYS") && HAS_APPROVAL(r, "DCMA"),
		   "§1.4 use-as-is: customer approval + 'government quality representative (DCMA or equivalent)' under a government contract");
	asks(eval("regime=as9100 occurrences_12m=1 suspected_counterfeit=f " COSM "customer_cosmetic_spec=f"), DF_GOVERNMENT_CONTRACT,
		 "§1.4 use-as-is asks whether the customer is a prime under a government contract");
	r = eval("regime=as9100 occurrences_12m=1 suspected_counterfeit=f key_characteristic=t process_change=t " FFF "reworkable=f repairable=f serialized=t");
	tap_ok(has_note(r, "design authority", 0, 0), "§1.4 'parts with key characteristics require notification to the design authority'");
	tap_ok(HAS_ACTION(r, "FAI resubmission per AS9102"), "§1.4 'FAI ... becomes invalid if ... the process has changed ... FAI resubmission'");
	tap_ok(HAS_ACTION(r, "destruction of the serialized parts"), "§1.4 'Scrap disposition must include documented destruction of serialized parts'");
	tap_ok(HAS_ACTION(r, "lot, batch, heat and serial"), "§1.4 'maintain lot, batch, heat, and serial number traceability'");
	asks(eval(AS FFF "reworkable=f repairable=f"), DF_SERIALIZED, "§1.4 scrap asks whether the parts are serialized");
	r = eval("regime=as9100 occurrences_12m=1 suspected_counterfeit=t key_characteristic=f process_change=f " SUP "needed_immediately=f");
	is_disp(r, DISP_QUARANTINE, "§1.4 suspect counterfeit: quarantine, not return to vendor although supplier-caused and not needed");
	tap_ok(HAS_ACTION(r, "separate area") && HAS_ACTION(r, "do not return it to the supplier") && HAS_ACTION(r, "§8.1.4"),
		   "§1.4 'Quarantine the suspect material in a separate area'; 'Do not return suspect counterfeit material to the supplier'");
	tap_ok(HAS_ACTION(r, "GIDEP if the counterfeit is confirmed") && r->n_notes == 0, "§1.4 GIDEP 'if counterfeit is confirmed' (not yet)");
	tap_ok(HAS_ACTION(r, "OASIS"), "§1.4 'OASIS database updates may be required for supplier quality events'");
	r = eval("regime=as9100 occurrences_12m=1 suspected_counterfeit=t counterfeit_confirmed=t key_characteristic=f process_change=f");
	tap_ok(has_note(r, "GIDEP (Government-Industry Data Exchange Program)", 0, 0),
		   "§1.4 'Report to GIDEP (Government-Industry Data Exchange Program) if counterfeit is confirmed'");
	r = eval("regime=general occurrences_12m=1 suspected_counterfeit=t");
	is_disp(r, DISP_QUARANTINE, "suspected counterfeit given in another regime is honoured");
	r = eval("regime=general occurrences_12m=1 special_characteristic=t reworkable=f " COSM "customer_cosmetic_spec=f");
	is_disp(r, DISP_SCRAP, "special characteristic given true in another regime: zero tolerance honoured (no use-as-is)");
	r = eval("regime=general occurrences_12m=1 special_characteristic=f " COSM "customer_cosmetic_spec=f");
	is_disp(r, DISP_USE_AS_IS, "special characteristic false outside IATF: plain §1.1");
}

static void
test_capa(void)
{
	const DispResult *r;

	asks(eval("regime=general " FFF "reworkable=f repairable=f"), DF_OCCURRENCES_12M, "§3.1 recurrence count asked last");
	r = eval("regime=general occurrences_12m=3 " FFF "reworkable=f repairable=f");
	tap_ok(HAS_ACTION(r, "CAPA: initiate (§3.1: repeat"), "§3.1 'Always initiate CAPA for: Repeat non-conformance: same failure mode occurring 3+ times in 12 months'");
	r = eval("regime=general occurrences_12m=2 " FFF "reworkable=f repairable=f");
	tap_ok(HAS_ACTION(r, "CAPA: consider"), "§3.1 'Consider CAPA (judgment call) for: same failure mode 2 times in 12 months'");
	r = eval("regime=general occurrences_12m=1 " FFF "reworkable=f repairable=f");
	tap_ok(!HAS_ACTION(r, "CAPA"), "§3.1 'Do NOT initiate CAPA for: Isolated non-conformance'");
}

static void
test_setters(void)
{
	DispFacts	f;
	int64_t		us;

	disp_facts_init(&f);
	{
		int			ok = 1;

		for (int i = 0; i < DF_NFACTS; i++)
			ok &= disp_fact_table[i].id == (DispFactId) i && disp_fact_table[i].key != NULL &&
				disp_fact_lookup(disp_fact_table[i].key, strlen(disp_fact_table[i].key)) == i &&
				disp_fact_table[i].question != NULL && disp_fact_table[i].seed != NULL &&
				(disp_fact_table[i].kind == DK_CHOICE) == (disp_fact_table[i].choices != NULL);
		tap_ok(ok, "the fact table is complete, in enum order, and every key finds itself");
	}
	tap_ok(disp_fact_lookup("nonsense", 8) == -1, "unknown key: -1");
	tap_ok(disp_fact_lookup("regime", 6) == DF_REGIME, "key lookup");
	tap_ok(disp_set_number(&f, DF_REWORK_COST, -0.01) == DISP_SET_OUT_OF_RANGE, "negative cost refused");
	tap_ok(disp_set_number(&f, DF_REWORK_COST, NAN) == DISP_SET_OUT_OF_RANGE, "NaN cost refused");
	tap_ok(disp_set_number(&f, DF_REWORK_COST, INFINITY) == DISP_SET_OUT_OF_RANGE, "infinite cost refused");
	tap_ok(disp_set_number(&f, DF_EXPECTED_YIELD, 1.5) == DISP_SET_OUT_OF_RANGE, "yield above 1 refused");
	tap_ok(disp_set_number(&f, DF_OCCURRENCES_12M, 0) == DISP_SET_OUT_OF_RANGE, "count 0 refused");
	tap_ok(disp_set_number(&f, DF_OCCURRENCES_12M, 1.5) == DISP_SET_NOT_INTEGER, "count 1.5 refused");
	tap_ok(disp_set_number(&f, DF_SAFETY_CRITICAL, 1) == DISP_SET_WRONG_KIND, "number for a boolean refused");
	tap_ok(disp_set_bool(&f, DF_REWORK_COST, true) == DISP_SET_WRONG_KIND, "boolean for a cost refused");
	tap_ok(disp_set_text(&f, DF_SAFETY_CRITICAL, "yes", 3) == DISP_SET_WRONG_KIND, "text for a boolean refused");
	tap_ok(disp_set_text(&f, DF_REGIME, "ISO9001", 7) == DISP_SET_BAD_CHOICE, "unknown regime refused");
	tap_ok(disp_set_text(&f, DF_REGIME, "IATF16949", 9) == DISP_SET_OK && f.v[DF_REGIME].choice == DISP_REGIME_IATF,
		   "regime aliases, case-insensitive");
	tap_ok(!f.v[DF_REWORK_COST].known, "refused values leave the fact unknown");

	tap_ok(disp_parse_iso8601("1970-01-01T00:00:00Z", 20, &us) == 0 && us == 0, "ISO: epoch");
	tap_ok(disp_parse_iso8601("2026-03-02T08:15:00+01:00", 25, &us) == 0 && us == INT64_C(1772435700) * 1000000,
		   "ISO: +01:00 offset");
	tap_ok(disp_parse_iso8601("2026-03-02 08:15:00.25-0530", 27, &us) == 0 &&
		   us == (int64_t) (1772435700 + 6 * 3600 + 30 * 60) * 1000000 + 250000,
		   "ISO: space separator, fraction, -0530 offset");
	tap_ok(disp_parse_iso8601("2024-02-29T00:00Z", 17, &us) == 0, "ISO: leap day, no seconds");
	tap_ok(disp_parse_iso8601("1890-01-01T00:00:00+00:53:28", 28, &us) == 0 &&
		   us == (int64_t) (-2524521600 - 3208) * 1000000, "ISO: historic offset with seconds (+00:53:28)");
	tap_ok(disp_parse_iso8601("2026-03-02T08:15:00+01:00:60", 28, &us) != 0, "ISO: offset seconds 60 refused");
	tap_ok(disp_parse_iso8601("2025-02-29T00:00Z", 17, &us) != 0, "ISO: 29 Feb of a common year refused");
	tap_ok(disp_parse_iso8601("2026-03-02T08:15:00", 19, &us) != 0, "ISO: no offset refused");
	tap_ok(disp_parse_iso8601("2026-13-02T08:15:00Z", 20, &us) != 0, "ISO: month 13 refused");
	tap_ok(disp_parse_iso8601("2026-03-02T08:15:00Zjunk", 24, &us) != 0, "ISO: trailing junk refused");
	tap_ok(disp_parse_iso8601("", 0, &us) != 0, "ISO: empty refused");
}

/*
 * Property test: random partial fact sets.  Invariants: no overflow;
 * decided <=> a disposition and an authority; a question names an unknown,
 * askable fact; answering it never brings the same question back.
 */
static void
test_random(void)
{
	unsigned	seed = 12345;
	int			bad = 0,
				decided = 0,
				questions = 0;

	for (int iter = 0; iter < DISP_RANDOM_ITERS && bad < 5; iter++)
	{
		DispFacts	f;
		DispResult r;

		disp_facts_init(&f);
		for (int id = 0; id < DF_NFACTS; id++)
		{
			const DispFactDesc *d = &disp_fact_table[id];

			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 4 == 0)
				continue;		/* unknown */
			seed = seed * 1103515245u + 12345u;
			switch (d->kind)
			{
				case DK_BOOL:
					disp_set_bool(&f, id, (seed >> 16) & 1);
					break;
				case DK_CHOICE:
					f.v[id].known = true;
					f.v[id].choice = 1 + (int) ((seed >> 16) % (id == DF_REGIME ? 4 : id == DF_LIFECYCLE_PHASE ? 2 : 3));
					break;
				case DK_TIMESTAMP:
					f.v[id].known = true;
					f.v[id].unix_us = (int64_t) (seed >> 4) * 1000000;
					break;
				case DK_FRACTION:
					disp_set_number(&f, id, ((seed >> 16) % 101) / 100.0);
					break;
				case DK_COUNT:
					disp_set_number(&f, id, 1 + (seed >> 16) % 4);
					break;
				default:
					disp_set_number(&f, id, (double) ((seed >> 16) % 1000) / 4.0);
					break;
			}
		}
		disp_evaluate(&f, &r);
		if (r.overflow ||
			(r.status == DISP_STATUS_DECIDED) != (r.disposition != DISP_NONE) ||
			(r.status == DISP_STATUS_DECIDED && (r.authority == NULL || r.n_roles == 0 || r.next_fact != -1)) ||
			(r.status == DISP_STATUS_QUESTION && (r.next_fact < 0 || f.v[r.next_fact].known || !disp_fact_table[r.next_fact].asked)))
		{
			bad++;
			printf("# invariant broken at iteration %d (status %s)\n", iter, disp_status_name(r.status));
			continue;
		}
		if (r.status == DISP_STATUS_DECIDED)
			decided++;
		else if (r.status == DISP_STATUS_QUESTION)
		{
			int			asked = r.next_fact;
			DispResult r2;

			questions++;
			if (disp_fact_table[asked].kind == DK_BOOL)
				disp_set_bool(&f, asked, true);
			else if (disp_fact_table[asked].kind == DK_CHOICE)
			{
				f.v[asked].known = true;
				f.v[asked].choice = 1;
			}
			else
				disp_set_number(&f, asked, 1);
			disp_evaluate(&f, &r2);
			if (r2.status == DISP_STATUS_QUESTION && r2.next_fact == asked)
			{
				bad++;
				printf("# answering %s brought it back\n", disp_fact_table[asked].key);
			}
		}
	}
	tap_ok(bad == 0, "%d random fact sets keep every invariant (%d decided, %d questions)", DISP_RANDOM_ITERS, decided, questions);
	tap_ok(decided > 1000 && questions > 1000, "the random walk reaches both outcomes");
}

int
main(void)
{
	(void) tap_near;			/* shared helper, unused here */
	test_universal_flow();
	test_authority();
	test_fda();
	test_iatf();
	test_as9100();
	test_capa();
	test_setters();
	test_random();
	return tap_done();
}
