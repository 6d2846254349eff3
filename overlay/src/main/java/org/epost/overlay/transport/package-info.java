/** The links a node's state machine sends through; Netty in production, {@code SimTransport} in the simulator. */
package org.epost.overlay.transport;
