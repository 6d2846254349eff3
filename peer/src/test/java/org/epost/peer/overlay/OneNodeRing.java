package org.epost.peer.overlay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.configuration2.BaseConfiguration;
import org.epost.overlay.security.OrganizationAuthority;

/** The epost.properties of a peer that founds a ring of its own on a free loopback port, for the peer's tests. */
public final class OneNodeRing {
    private OneNodeRing() {
    }

    /** A fresh organization authority, valid from a minute ago for a day. */
    public static OrganizationAuthority authority() {
        return OrganizationAuthority.create("Test Org", Instant.now().minusSeconds(60), Duration.ofDays(1));
    }

    /**
     * {@code overlay.*} properties of peer1: node credentials issued by {@code authority} in
     * {@code directory/node.p12} (password "pw"), listening on a free loopback port and bootstrapping through itself.
     */
    public static BaseConfiguration overlayProperties(Path directory, OrganizationAuthority authority)
            throws Exception {
        Path credentials = directory.resolve("node.p12");
        authority.issueNodeCredentials("peer1", Instant.now().minusSeconds(60), Duration.ofDays(1))
            .save(credentials, "pw".toCharArray());
        int port = freePort();
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty("overlay.enabled", "true");
        properties.addProperty("overlay.listen", "127.0.0.1:" + port);
        properties.addProperty("overlay.bootstrap", "127.0.0.1:" + port);
        properties.addProperty("overlay.credentials", credentials.toString());
        properties.addProperty("overlay.credentials.password", "pw");
        // alone, the node can keep one replica only
        properties.addProperty("past.degraded-inserts", "true");
        return properties;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
