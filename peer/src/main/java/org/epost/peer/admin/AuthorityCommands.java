package org.epost.peer.admin;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.post.accounts.OrganizationUserAuthority;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The admin's commands for the organization's authorities: the organization CA, node credentials, the user CA. */
final class AuthorityCommands {
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration NODE_VALIDITY = Duration.ofDays(825);
    /** Certificates start a little in the past so that peers whose clocks lag still accept them. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private AuthorityCommands() {
    }

    @Command(name = "ca-init", description = "Creates the organization authority (ca.p12, ca.pem) once.")
    static final class CaInit implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "directory for ca.p12 and ca.pem")
        private Path directory;

        @Option(names = "--organization", paramLabel = "NAME", required = true,
            description = "the organization's name, written into every certificate")
        private String organization;

        @Option(names = "--password-file", paramLabel = "FILE", required = true,
            description = "file whose first line is the password of ca.p12")
        private Path passwordFile;

        @Override
        public Integer call() throws IOException {
            OrganizationAuthority authority = OrganizationAuthority.create(organization,
                Instant.now().minus(CLOCK_SKEW), CA_VALIDITY);
            authority.save(directory, EpostAdmin.password(passwordFile));
            spec.commandLine().getOut().println("Created the authority of " + organization + " in "
                + directory.toAbsolutePath() + " (copy " + OrganizationAuthority.CERTIFICATE_FILE + " to peers; keep "
                + OrganizationAuthority.KEYSTORE_FILE + " offline)");
            return 0;
        }
    }

    @Command(name = "node-credentials", description = "Issues a peer its overlay node credentials.")
    static final class IssueNodeCredentials implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private OrganizationCaOptions ca;

        @Option(names = "--peer-name", paramLabel = "NAME", required = true,
            description = "the peer's name (certificate subject)")
        private String peerName;

        @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "PKCS12 file to write (epost.properties overlay.credentials)")
        private Path out;

        @Option(names = "--password-file", paramLabel = "FILE", required = true,
            description = "file whose first line is the password of the new file")
        private Path passwordFile;

        @Override
        public Integer call() throws IOException {
            OrganizationAuthority authority = OrganizationAuthority.load(ca.directory(), ca.password());
            NodeCredentials credentials = authority.issueNodeCredentials(peerName, Instant.now().minus(CLOCK_SKEW),
                NODE_VALIDITY);
            credentials.save(out, EpostAdmin.password(passwordFile));
            spec.commandLine().getOut().println("Wrote the overlay credentials of " + peerName + " to "
                + out.toAbsolutePath() + "; node id " + credentials.nodeId().toHex());
            return 0;
        }
    }

    /**
     * The organization's user CA: an Ed25519 key that certifies users (certificate blocks), endorsed by the
     * organization CA. Peers that add users hold user-ca.key (password-protected); every peer trusts user-ca.pem.
     */
    @Command(name = "user-ca-init", description = "Creates the user CA (user-ca.key, user-ca.pem) once.")
    static final class UserCaInit implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private OrganizationCaOptions ca;

        @Option(names = "--password-file", paramLabel = "FILE", required = true,
            description = "file whose first line is the password of the new user-ca.key")
        private Path passwordFile;

        @Override
        public Integer call() throws IOException {
            OrganizationUserAuthority.create(ca.directory(), ca.password(), EpostAdmin.password(passwordFile));
            spec.commandLine().getOut().println("Created the user CA in " + ca.directory().toAbsolutePath() + " ("
                + OrganizationUserAuthority.PUBLIC_FILE + " goes to every peer, in post.authority; "
                + OrganizationUserAuthority.KEY_FILE + " only to peers that certify their users themselves, others"
                + " ask: epost-admin certify-user)");
            return 0;
        }
    }
}
