/** The "ePOST" entry of James's {@code /healthcheck}: the directory store, the overlay node, the lease refresh. */
package org.epost.peer.health;
