package org.epost.overlay.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.epost.overlay.cli.CommandLines;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.wire.WireFormat;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The flags every stand-alone node process takes ({@link OverlayNodeMain}, Glacier's and the attack harness's
 * nodes), as a picocli mixin: where it listens, whom it joins, and its node credentials.
 */
public final class NodeFlags {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Address to listen on.")
    private String listen;

    @Option(names = "--bootstrap", paramLabel = "A,B,...", defaultValue = "",
        description = "Comma-separated HOST:PORT of nodes to join through (none: found a ring).")
    private String bootstrap;

    @Option(names = "--credentials", required = true, paramLabel = "FILE",
        description = "PKCS12 node credentials (epost-admin node-credentials).")
    private String credentials;

    @Option(names = "--password-file", required = true, paramLabel = "FILE",
        description = "File whose first line is the password of the credentials.")
    private String passwordFile;

    /** The password file: the first line unlocks the credentials (and other certificates of the same holder). */
    public String passwordFile() {
        return passwordFile;
    }

    /** The node's credentials, unlocked with the password file. */
    public NodeCredentials credentials() throws IOException {
        return NodeConsole.credentials(credentials, passwordFile);
    }

    /** Whether {@code --bootstrap} names at least one node. */
    public boolean joinsARing() {
        return !NodeConsole.bootstrap(bootstrap).isEmpty();
    }

    /** The node's configuration, its PAST blocks in {@code store} under a quota; a bad value is a usage error. */
    public OverlayNodeConfig config(Path store, long quotaBytes) {
        try {
            return new OverlayNodeConfig(NodeConsole.address(listen), listen, NodeConsole.bootstrap(bootstrap),
                PastryConfig.defaults(), WireFormat.DEFAULT_MAX_FRAME_BYTES, store, StoreConfig.withQuota(quotaBytes),
                PastConfig.defaults());
        } catch (IllegalArgumentException e) {
            throw CommandLines.invalid(spec, e.getMessage());
        }
    }

    /** A {@code HOST:PORT} flag's value as a socket address; a bad one is a usage error. */
    public InetSocketAddress address(String hostPort) {
        try {
            return NodeConsole.address(hostPort);
        } catch (IllegalArgumentException e) {
            throw CommandLines.invalid(spec, e.getMessage());
        }
    }
}
