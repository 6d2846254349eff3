package org.epost.overlay.api;

import java.util.Objects;

import org.epost.overlay.id.Id;

/**
 * How to reach a node: its ring id plus the transport address it listens on ("host:port" over TCP, "sim:17" in the
 * simulator). Immutable; two handles are equal when both id and address are, so a node that comes back on another
 * address is a different handle.
 */
public record NodeHandle(Id id, String address) {
    public NodeHandle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
        return id + "@" + address;
    }
}
