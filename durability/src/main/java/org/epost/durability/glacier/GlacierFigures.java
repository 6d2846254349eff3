package org.epost.durability.glacier;

/**
 * One node's Glacier figures at one moment, for status pages, metrics and benchmarks.
 *
 * @param n                    fragments per object of this node's code
 * @param m                    fragments needed to rebuild
 * @param fragmentsHeld        fragments this node holds now
 * @param fragmentBytes        their encoded bytes
 * @param quotaBytes           the most this node holds
 * @param fragmentsStored      fragments accepted from others since start
 * @param fragmentsRegenerated fragments this node rebuilt and took over since start
 * @param fragmentsHandedOff   fragments handed to nodes closer to their position
 * @param fragmentsExpired     fragments dropped at the end of their lease
 * @param badFragments         fragments refused or dropped for not verifying (received or read back from disk)
 * @param rebuildsSucceeded    objects rebuilt from fragments (for regeneration or for a reader)
 * @param rebuildsFailed       rebuilds that found fewer than m valid fragments
 * @param recoveries           objects asked for because PAST found no replica
 * @param auditRounds          audit rounds run
 * @param messagesSent         Glacier messages sent
 * @param maintenanceMessages  of which audits, hand-offs and regeneration
 * @param pointersHeld         aggregate pointer copies this node holds (n per aggregated small block)
 * @param pointerBytes         their encoded bytes
 * @param aggregatesArchived   aggregates of small blocks this node coded as their root since start
 * @param membersRecovered     small blocks rebuilt through their aggregate for a reader since start
 */
public record GlacierFigures(int n, int m, int fragmentsHeld, long fragmentBytes, long quotaBytes,
                             long fragmentsStored, long fragmentsRegenerated, long fragmentsHandedOff,
                             long fragmentsExpired, long badFragments, long rebuildsSucceeded, long rebuildsFailed,
                             long recoveries, long auditRounds, long messagesSent, long maintenanceMessages,
                             int pointersHeld, long pointerBytes, long aggregatesArchived, long membersRecovered) {
}
