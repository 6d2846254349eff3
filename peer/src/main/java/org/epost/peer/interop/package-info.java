/** The wiring of interop on a peer: the route table, the migration service and their WebAdmin task display. */
package org.epost.peer.interop;
