/**
 * Aggregation of small objects into aggregates of about 1 MiB with an index, coded by Glacier as one object. How a
 * reader finds the aggregate of a member from the member's handle is not settled yet (see the durability issue).
 */
package org.epost.durability.aggregate;
