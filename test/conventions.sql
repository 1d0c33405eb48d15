-- House conventions that hold for every object of the extension.
BEGIN;
SELECT plan(4);

SELECT is(
  (SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
     JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'quality_escape'
    WHERE obj_description(p.oid, 'pg_proc') IS NULL),
  NULL,
  'every function, aggregate and procedure has a COMMENT ON, support functions included');

SELECT is(
  (SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
     JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'quality_escape'
    WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
      AND p.provolatile = 'i' AND p.proparallel <> 's'),
  NULL,
  'every IMMUTABLE C function is PARALLEL SAFE');

SELECT is(
  (SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
     JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'quality_escape'
    WHERE p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
      AND NOT coalesce(p.proconfig::text[] @> ARRAY['search_path=pg_catalog, pg_temp'], false)
      AND NOT coalesce(p.proconfig::text[] @> ARRAY['search_path=pg_catalog,pg_temp'], false)
      AND NOT (p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql') AND p.prosqlbody IS NOT NULL)),
  NULL,
  'every SQL/PL/pgSQL function pins search_path (or is a pre-parsed SQL-standard body)');

SELECT is(
  (SELECT count(*) FROM pg_type t
     JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'quality_escape'
    WHERE obj_description(t.oid, 'pg_type') IS NULL),
  0::bigint,
  'every type has a COMMENT ON');

SELECT * FROM finish();
ROLLBACK;
