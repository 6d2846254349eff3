package org.epost.overlay.past.protocol;

/**
 * What one node's PAST has done, for {@link Past}'s getters. One instance per node, shared by its coordinators;
 * touched only on the node's thread, so plain fields suffice.
 */
final class PastCounters {
    long messagesSent;
    long replicasPushed;
    long readRepairs;
    long badReplicasFound;
    long blocksHandedOff;
    long blocksExpired;
    long ignoredReplies;
    long maintenanceRounds;
}
