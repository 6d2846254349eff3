package org.epost.overlay.past.protocol;

/**
 * What a node's PAST let in to store and turned away per sender since start ({@link Past#admission()}), for the
 * status page.
 *
 * @param started        blocks whose verification and storing started, in fair order over their senders
 * @param inFlight       of those, still being verified or made durable
 * @param waitingBytes   bytes of blocks waiting for their turn
 * @param refusedBudget  blocks refused because their sender was over its budget per minute
 * @param refusedBytes   bytes of those
 * @param refusedQueue   blocks refused because their sender's share of the queue (or the whole queue) was waiting
 */
public record StoreAdmissionFigures(long started, int inFlight, long waitingBytes, long refusedBudget,
                                    long refusedBytes, long refusedQueue) {
}
