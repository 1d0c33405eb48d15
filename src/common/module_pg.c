/*
 * module_pg.c: the one PG_MODULE_MAGIC of the quality_escape library.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
