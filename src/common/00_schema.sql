-- Schema-wide objects.  The schema itself is created by CREATE EXTENSION
-- (schema = qe in the control file).

COMMENT ON SCHEMA @extschema@ IS
  'quality_escape: statistical process control, capability, acceptance sampling and NCR/CAPA workflows';

-- The result of every control-limit aggregate (qe.imr_chart, qe.xbar_r_chart,
-- qe.xbar_s_chart, qe.p_chart, qe.np_chart, qe.c_chart, qe.u_chart).
-- For the plotted statistic, sigma of one plotted point is (ucl - center) / 3;
-- "sigma" is the estimate of the process standard deviation the limits came from
-- (for attribute charts: at the average sample size).
CREATE TYPE @extschema@.control_limits AS (
    chart           text,             -- 'I-MR', 'Xbar-R', 'Xbar-S', 'p', 'np', 'c', 'u'
    center          double precision, -- centre line of the main chart
    lcl             double precision, -- lower control limit (0 where the statistic cannot be negative)
    ucl             double precision, -- upper control limit
    sigma           double precision, -- sigma estimate used (within-subgroup for variables charts)
    n_points        bigint,           -- points plotted: individuals or subgroups
    n_values        bigint,           -- measurements (or units inspected for p/np/u)
    avg_sample_size double precision, -- mean subgroup / sample size (1 for I-MR)
    disp_chart      text,             -- companion dispersion chart: 'MR', 'R', 'S', or NULL
    disp_center     double precision, -- its centre line (MR-bar, R-bar, S-bar)
    disp_lcl        double precision,
    disp_ucl        double precision
);
COMMENT ON TYPE @extschema@.control_limits IS
  'Control limits of one chart: centre, LCL, UCL, sigma, counts, and the companion dispersion chart (MR, R or S) where there is one';
