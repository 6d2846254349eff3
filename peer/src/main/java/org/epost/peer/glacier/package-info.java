/** Glacier on this peer's overlay node (see the durability module). */
package org.epost.peer.glacier;
