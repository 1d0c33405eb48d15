-- Benchmark helpers (loaded into the throwaway qe_bench database only).
CREATE SCHEMA bench;

-- Best (minimum) wall time in milliseconds of `runs` executions of a query,
-- after one warm-up run.  The minimum is the least noisy figure on a shared
-- machine; ratios are always taken between queries timed in the same run.
CREATE FUNCTION bench.time_ms(query text, runs int DEFAULT 3)
RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    best double precision := 'Infinity';
    dummy record;
BEGIN
    EXECUTE query INTO dummy;               -- warm-up (caches, JIT off anyway)
    FOR i IN 1 .. runs LOOP
        t0 := clock_timestamp();
        EXECUTE query INTO dummy;
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN best;
END $$;

-- A results table each benchmark appends to, printed at the end of a script.
CREATE TABLE bench.result (
    bench     text,
    label     text,
    ms        double precision,
    baseline  text,
    ratio     double precision
);
