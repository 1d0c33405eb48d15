/*
 * module_pg.c: the one PG_MODULE_MAGIC of the quality_escape library.
 */
#include "postgres.h"
#include "fmgr.h"

#include "catalog/namespace.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "common/qe_pg.h"
#include "rules/rules_pg.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* bumped by every pg_class change: cached OIDs of older generations are stale */
static uint64 qe_catalog_generation = 1;

static void
qe_catalog_changed(Datum arg, int cacheid, uint32 hashvalue)
{
	qe_catalog_generation++;
}

Oid
qe_rel_oid(QeRelOid *cache, const char *relname)
{
	if (cache->generation != qe_catalog_generation || !OidIsValid(cache->oid))
	{
		uint64		generation = qe_catalog_generation;

		cache->oid = get_relname_relid(relname, get_namespace_oid("qe", false));
		if (!OidIsValid(cache->oid))
			elog(ERROR, "quality_escape object qe.%s is missing", relname);
		cache->generation = generation;
	}
	return cache->oid;
}

void
_PG_init(void)
{
	CacheRegisterSyscacheCallback(RELNAMENSP, qe_catalog_changed, (Datum) 0);
	qe_rules_watch_init();
}
