package org.epost.peer.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.overlay.security.RevocationList;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.revocation.RevocationBlocks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code epost-admin revoke}: issues the organization's next revocation list, offline, with the organization CA key
 * (which signs the list) and the user CA key (which owns its block in PAST). The last list issued is kept as
 * {@value #STATE_FILE} in the authority directory: the next one carries all its revocations plus the new ones and the
 * next number, so nothing revoked is ever forgotten. The block is then uploaded to any peer
 * ({@code POST /epost/revocations}), which publishes it in PAST for all.
 */
@Command(name = "revoke", description = "Issues the organization's next revocation list, offline.")
final class RevocationCommands implements Callable<Integer> {
    static final String STATE_FILE = "revocations.block";
    private static final int DEFAULT_NEXT_UPDATE_DAYS = 30;

    @Spec
    private CommandSpec spec;

    /** Also holds user-ca.key, and the last list issued as {@value #STATE_FILE}. */
    @Mixin
    private OrganizationCaOptions ca;

    @Option(names = "--user-ca-password-file", paramLabel = "FILE", required = true,
        description = "file whose first line is the password of user-ca.key")
    private Path userCaPasswordFile;

    @Option(names = "--node", paramLabel = "ID",
        description = "node id to revoke (hex, as /epost/ring shows it); repeatable")
    private List<String> revokedNodes = new ArrayList<>();

    @Option(names = "--node-certificate", paramLabel = "FILE",
        description = "PEM node certificate to revoke; repeatable")
    private List<Path> revokedCertificates = new ArrayList<>();

    @Option(names = "--user-key", paramLabel = "ID", description = "user key to revoke (the revocationKey of"
        + " GET /epost/accounts/{address}); repeatable")
    private List<String> revokedUserKeys = new ArrayList<>();

    @Option(names = "--next-update-days", paramLabel = "N",
        description = "days until peers consider the list overdue (default"
        + " ${DEFAULT-VALUE})")
    private long nextUpdateDays = DEFAULT_NEXT_UPDATE_DAYS;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the block here, for the upload")
    private Path out;

    @Override
    public Integer call() throws IOException {
        Path directory = ca.directory();
        OrganizationAuthority authority = OrganizationAuthority.load(directory, ca.password());
        OrganizationUserAuthority userCa = OrganizationUserAuthority.load(directory,
            EpostAdmin.password(userCaPasswordFile));
        Set<Id> nodes = new TreeSet<>();
        Set<Id> userKeys = new TreeSet<>();
        long number = 1;
        Path state = directory.resolve(STATE_FILE);
        if (Files.exists(state)) {
            RevocationList previous = RevocationBlocks.unwrap(RevocationBlocks.verify(Files.readAllBytes(state),
                userCa.publicKey(), System::currentTimeMillis));
            nodes.addAll(previous.nodes());
            userKeys.addAll(previous.userKeys());
            number = previous.number() + 1;
        }
        try {
            for (String hex : revokedNodes) {
                nodes.add(Id.fromHex(hex.trim()));
            }
            for (Path file : revokedCertificates) {
                nodes.add(NodeCertificates.nodeIdOf(readCertificate(file).getPublicKey()));
            }
            for (String hex : revokedUserKeys) {
                userKeys.add(Id.fromHex(hex.trim()));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("not a node id or user key: " + e.getMessage(), e);
        }
        Instant now = Instant.now();
        RevocationList list = authority.signRevocations(number, now, now.plus(Duration.ofDays(nextUpdateDays)), nodes, userKeys);
        PublicKeyBlock block = userCa.publishRevocations(list);
        Path temporary = directory.resolve(STATE_FILE + ".tmp");
        Files.write(temporary, block.encoded());
        Files.move(temporary, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path upload = state;
        if (out != null) {
            upload = out;
            Files.write(upload, block.encoded());
        }
        spec.commandLine().getOut().println("Issued " + list + " in " + state.toAbsolutePath() + "; publish it with: curl -XPOST"
            + " --data-binary @" + upload.toAbsolutePath() + " http://PEER:8000" + "/epost/revocations");
        return 0;
    }

    private static X509Certificate readCertificate(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException(file + " holds no X.509 certificate: " + e.getMessage(), e);
        }
    }
}
