/**
 * Scribe (Castro, Druschel, Kermarrec, Rowstron 2002): application-level multicast over Pastry. A group's root is
 * the node responsible for the group id; joins routed toward it build a reverse-path tree of forwarders; a
 * publication is routed to the root and flows down the tree; heartbeats between tree neighbours detect dead
 * parents and children, and orphans join again by routing, so the tree heals after crashes. POST uses it for
 * notifications: nodes holding a notification for an offline user join the group H(user key), and the user's peer
 * announces itself by publishing to it.
 */
package org.epost.overlay.scribe;
