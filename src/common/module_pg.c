/*
 * module_pg.c: the one PG_MODULE_MAGIC of the quality_escape library.
 */
#include "postgres.h"
#include "fmgr.h"

#include "rules/rules_pg.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	qe_rules_watch_init();
}
