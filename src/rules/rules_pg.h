/*
 * rules_pg.h: glue helpers shared by the rules fmgr files (window functions,
 * report aggregate, trigger).  Argument checking with errors and hints.
 */
#ifndef QE_RULES_PG_H
#define QE_RULES_PG_H

#include "postgres.h"

#include "rules/spc_rules.h"

/* qe.rule_config composite: (tests int, k1 int, ..., k8 int) */
#define RULES_CONFIG_NATTS 9

/* Decode and validate a qe.rule_config datum (errors with hints). */
/* installs the ExecutorFinish hook of qe.spc_watch's row-level batches (_PG_init) */
extern void qe_rules_watch_init(void);

extern void rules_pg_config_from_datum(Datum d, RulesConfig *cfg);

/* ereport if cfg is out of range (Minitab's ranges). */
extern void rules_pg_check_config(const RulesConfig *cfg);

/*
 * Zone boundaries for one point from a centre and a sigma; errors for a NULL
 * or non-finite centre, a NULL / non-positive / non-finite sigma, or a
 * non-finite value.
 */
extern void rules_pg_point_sigma(RulesPoint *p, const RulesConfig *cfg,
								 double x, double c, bool c_null,
								 double s, bool s_null);

/* The same from a row's own limits (lcl <= centre < ucl). */
extern void rules_pg_point_limits(RulesPoint *p, const RulesConfig *cfg, double x,
								  double lcl, bool lcl_null, double c, bool c_null,
								  double ucl, bool ucl_null);

#endif
