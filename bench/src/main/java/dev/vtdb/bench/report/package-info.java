/** Renders bench/RESULTS.md and the charts from the raw results of a run. */
package dev.vtdb.bench.report;
