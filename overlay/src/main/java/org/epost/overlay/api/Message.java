package org.epost.overlay.api;

/**
 * Marker for application payloads carried by the overlay. Each concrete message is one small immutable record with
 * plain fields, so that it can be encoded with a schema-defined codec (Jackson CBOR) on real links.
 */
public interface Message {
}
