package org.epost.overlay.pastry;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** Readable ids for tests: a hex prefix padded with zeros to 40 digits. */
final class TestIds {
    private TestIds() {
    }

    static Id id(String hexPrefix) {
        return Id.fromHex(hexPrefix + "0".repeat(2 * Id.BYTES - hexPrefix.length()));
    }

    static NodeHandle node(String hexPrefix) {
        return new NodeHandle(id(hexPrefix), "test:" + hexPrefix);
    }
}
