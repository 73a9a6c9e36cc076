/** JMH benchmarks of vtdb and its peers. */
package dev.vtdb.bench;
