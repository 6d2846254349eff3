package org.epost.durability.glacier;

/** What one node's Glacier did, for the simulator, benchmarks and metrics. Touched only on the node thread. */
final class GlacierCounters {
    long messagesSent;
    /** Messages of audits, hand-offs and rebuilds (everything but archiving and answering). */
    long maintenanceMessages;
    long fragmentsStored;
    long fragmentsRegenerated;
    long fragmentsHandedOff;
    long fragmentsExpired;
    /** Held fragments whose lease a lease extension made longer. */
    long leasesExtended;
    /** Fragments refused or discarded because they did not verify (logged). */
    long forgedFragments;
    long rebuildsSucceeded;
    long rebuildsFailed;
    long auditRounds;
    /** Objects asked for by readers (or PAST) because no replica was found. */
    long recoveries;
    long ignoredReplies;
    /** Aggregate pointer copies taken and held. */
    long pointersStored;
    /** Aggregates this node archived as a root, and the small blocks they held. */
    long aggregatesArchived;
    long membersAggregated;
    /** Small blocks a reader rebuilt through their aggregate. */
    long membersRecovered;
}
