package dev.vtdb.bench.sql;

/**
 * One row of TechEmpower's {@code fortune} table, mapped to an object.
 *
 * @param id the primary key
 * @param message the fortune text
 */
public record Fortune(int id, String message) {}
