package org.epost.overlay.past.protocol;

import org.epost.overlay.metrics.MetricSink;

/**
 * What one node's PAST has done, for {@link Past}'s getters and the operator's metrics ({@code epost.past.*}). One
 * instance per node, shared by its coordinators; touched only on the node's thread, so plain fields suffice.
 */
final class PastCounters {
    private final MetricSink metrics;
    private long messagesSent;
    private long replicasPushed;
    private long readRepairs;
    private long badReplicasFound;
    private long blocksHandedOff;
    private long blocksExpired;
    private long ignoredReplies;
    private long maintenanceRounds;
    private long rootsBypassed;
    private long discoveries;
    private long closestRefused;
    private long leasesDirect;

    PastCounters(MetricSink metrics) {
        this.metrics = metrics;
    }

    void messageSent() {
        messagesSent++;
        metrics.count("epost.past.messages.sent");
    }

    void replicaPushed() {
        replicasPushed++;
        metrics.count("epost.past.replicas.pushed");
    }

    void readRepair() {
        readRepairs++;
        metrics.count("epost.past.read.repairs");
    }

    void badReplicas(int count) {
        badReplicasFound += count;
        metrics.count("epost.past.replicas.bad", count);
    }

    void blockHandedOff() {
        blocksHandedOff++;
        metrics.count("epost.past.blocks.handed.off");
    }

    void blocksExpired(int count) {
        blocksExpired += count;
        metrics.count("epost.past.blocks.expired", count);
    }

    void ignoredReply() {
        ignoredReplies++;
        metrics.count("epost.past.replies.ignored");
    }

    void maintenanceRound() {
        maintenanceRounds++;
        metrics.count("epost.past.maintenance.rounds");
    }

    /** A root that did not answer, or whose answer this node could not trust, was bypassed for its holders. */
    void rootBypassed() {
        rootsBypassed++;
        metrics.count("epost.past.roots.bypassed");
    }

    /** A "who are the k closest" discovery sent along several paths (a handle beyond the leaf set's reach). */
    void discovery() {
        discoveries++;
        metrics.count("epost.past.closest.discoveries");
    }

    /** A "closest" answer refused: of another version, or not bound to the link that brought it or the key asked. */
    void closestRefused() {
        closestRefused++;
        metrics.count("epost.past.closest.refused");
    }

    long closestAnswersRefused() {
        return closestRefused;
    }

    /** A lease extension sent straight to the holders because the root failed it. */
    void leaseDirect() {
        leasesDirect++;
        metrics.count("epost.past.leases.direct");
    }

    long discoveries() {
        return discoveries;
    }

    long leasesDirect() {
        return leasesDirect;
    }

    long rootsBypassed() {
        return rootsBypassed;
    }

    long messagesSent() {
        return messagesSent;
    }

    long replicasPushed() {
        return replicasPushed;
    }

    long readRepairs() {
        return readRepairs;
    }

    long badReplicasFound() {
        return badReplicasFound;
    }

    long blocksHandedOff() {
        return blocksHandedOff;
    }

    long blocksExpired() {
        return blocksExpired;
    }

    long ignoredReplies() {
        return ignoredReplies;
    }

    long maintenanceRounds() {
        return maintenanceRounds;
    }
}
