package org.epost.overlay.net;

/**
 * What a node's overlay links hold and refused, for status pages: links open, encoded bytes waiting for slow peers
 * (all of them, and those of the bulk lane), the node's budget for them, messages refused per lane since the start
 * (a lane or the budget full) and messages dropped after waiting too long; and, since the start, inbound connections
 * refused because their address had its share of pending handshakes, and inbound links closed because their node
 * opened more than its share ({@link InboundShares}); and at the inbound cap, links of nodes routing does not need
 * closed for a needed node's, and new links closed ({@link InboundCap}); and pending handshakes closed at the cap to
 * make room for a new connection ({@link InboundLinks}).
 */
public record LinkFigures(int openLinks, long waitingBytes, long waitingBulkBytes, long budgetBytes,
                          long refusedInteractive, long refusedBulk, long expired, long refusedPendingPerAddress,
                          long closedOverNodeShare, long evictedForNeededNode, long refusedOverCap,
                          long evictedPendingHandshakes) {
}
