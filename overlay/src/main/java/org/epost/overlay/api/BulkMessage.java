package org.epost.overlay.api;

/**
 * A message type an application declares as maintenance traffic: it always travels in the {@link Lane#BULK} lane,
 * behind the interactive messages waiting on the same link. A type used both ways is sent in the bulk lane only
 * where the sender says so ({@link Endpoint#routeDirect(NodeHandle, Message, Lane)}).
 */
public interface BulkMessage extends Message {
}
