package org.epost.peer.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.security.NodeCertificates;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.overlay.security.RevocationList;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.revocation.RevocationBlocks;

/**
 * {@code epost-admin revoke}: issues the organization's next revocation list, offline, with the organization CA key
 * (which signs the list) and the user CA key (which owns its block in PAST). The last list issued is kept as
 * {@value #STATE_FILE} in the authority directory: the next one carries all its revocations plus the new ones and the
 * next number, so nothing revoked is ever forgotten. The block is then uploaded to any peer
 * ({@code POST /epost/revocations}), which publishes it in PAST for all.
 */
final class RevocationCommands {
    static final String STATE_FILE = "revocations.block";
    private static final int DEFAULT_NEXT_UPDATE_DAYS = 30;

    private RevocationCommands() {
    }

    static Options options() {
        return new Options()
            .addOption(EpostAdmin.required("ca", "directory of the organization authority (ca.p12, user-ca.key);"
                + " the last list issued is kept there as " + STATE_FILE))
            .addOption(EpostAdmin.required("ca-password-file", "file whose first line is the password of ca.p12"))
            .addOption(EpostAdmin.required("user-ca-password-file", "file whose first line is the password of"
                + " user-ca.key"))
            .addOption(Option.builder().longOpt("node").hasArg().desc("node id to revoke (hex, as /epost/ring shows"
                + " it); repeatable").build())
            .addOption(Option.builder().longOpt("node-certificate").hasArg().desc("PEM node certificate to revoke;"
                + " repeatable").build())
            .addOption(Option.builder().longOpt("user-key").hasArg().desc("user key to revoke (the revocationKey of"
                + " GET /epost/accounts/{address}); repeatable").build())
            .addOption(Option.builder().longOpt("next-update-days").hasArg().desc("days until peers consider the"
                + " list overdue (default " + DEFAULT_NEXT_UPDATE_DAYS + ")").build())
            .addOption(Option.builder().longOpt("out").hasArg().desc("also write the block here, for the upload")
                .build());
    }

    static int revoke(CommandLine line, PrintStream out) throws IOException {
        Path directory = Path.of(line.getOptionValue("ca"));
        OrganizationAuthority authority = OrganizationAuthority.load(directory, EpostAdmin.password(line,
            "ca-password-file"));
        OrganizationUserAuthority userCa = OrganizationUserAuthority.load(directory, EpostAdmin.password(line,
            "user-ca-password-file"));
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
            for (String hex : values(line, "node")) {
                nodes.add(Id.fromHex(hex.trim()));
            }
            for (String file : values(line, "node-certificate")) {
                nodes.add(NodeCertificates.nodeIdOf(readCertificate(Path.of(file)).getPublicKey()));
            }
            for (String hex : values(line, "user-key")) {
                userKeys.add(Id.fromHex(hex.trim()));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("not a node id or user key: " + e.getMessage(), e);
        }
        long days = Long.parseLong(line.getOptionValue("next-update-days", String.valueOf(DEFAULT_NEXT_UPDATE_DAYS)));
        Instant now = Instant.now();
        RevocationList list = authority.signRevocations(number, now, now.plus(Duration.ofDays(days)), nodes, userKeys);
        PublicKeyBlock block = userCa.publishRevocations(list);
        Path temporary = directory.resolve(STATE_FILE + ".tmp");
        Files.write(temporary, block.encoded());
        Files.move(temporary, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path upload = state;
        if (line.hasOption("out")) {
            upload = Path.of(line.getOptionValue("out"));
            Files.write(upload, block.encoded());
        }
        out.println("Issued " + list + " in " + state.toAbsolutePath() + "; publish it with: curl -XPOST"
            + " --data-binary @" + upload.toAbsolutePath() + " http://PEER:8000" + "/epost/revocations");
        return 0;
    }

    private static String[] values(CommandLine line, String option) {
        String[] values = line.getOptionValues(option);
        return values == null ? new String[0] : values;
    }

    private static X509Certificate readCertificate(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException(file + " holds no X.509 certificate: " + e.getMessage(), e);
        }
    }
}
