package org.epost.peer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.overlay.security.PeerCertificateVerifier;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpostAdminTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EpostAdmin.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void createsAnAuthorityOnceAndIssuesNodeCredentialsItVouchesFor(@TempDir Path directory) throws Exception {
        Path caPassword = Files.writeString(directory.resolve("ca.password"), "ca-secret\n");
        Path nodePassword = Files.writeString(directory.resolve("node.password"), "node-secret\n");
        Path ca = directory.resolve("ca");
        Path node = directory.resolve("peer1/conf/epost-node.p12");

        assertThat(run("ca-init", "--dir", ca.toString(), "--organization", "Example Org", "--password-file", caPassword.toString())).isZero();
        assertThat(run("node-credentials", "--ca", ca.toString(), "--ca-password-file", caPassword.toString(),
            "--peer-name", "peer1", "--out", node.toString(), "--password-file", nodePassword.toString())).isZero();

        NodeCredentials credentials = NodeCredentials.load(node, "node-secret".toCharArray());
        OrganizationAuthority authority = OrganizationAuthority.load(ca, "ca-secret".toCharArray());
        assertThat(credentials.authority()).isEqualTo(authority.certificate());
        assertThat(new PeerCertificateVerifier(authority.certificate())
            .rejection(credentials.certificate(), credentials.nodeId(), Instant.now())).isEmpty();
        assertThat(Files.readString(ca.resolve("ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("node id " + credentials.nodeId().toHex());
    }

    @Test
    void createsTheUserCaEndorsedByTheOrganizationCa(@TempDir Path directory) throws Exception {
        Path caPassword = Files.writeString(directory.resolve("ca.password"), "ca-secret\n");
        Path userCaPassword = Files.writeString(directory.resolve("user-ca.password"), "user-ca-secret\n");
        Path ca = directory.resolve("ca");
        run("ca-init", "--dir", ca.toString(), "--organization", "Example Org", "--password-file", caPassword.toString());

        assertThat(run("user-ca-init", "--ca", ca.toString(), "--ca-password-file", caPassword.toString(),
            "--password-file", userCaPassword.toString())).isZero();

        OrganizationAuthority authority = OrganizationAuthority.load(ca, "ca-secret".toCharArray());
        assertThat(OrganizationUserAuthority.loadTrustedPublicKey(ca.resolve(OrganizationUserAuthority.PUBLIC_FILE), authority.certificate()))
            .isEqualTo(OrganizationUserAuthority.load(ca, "user-ca-secret".toCharArray()).publicKey());
        assertThat(run("user-ca-init", "--ca", ca.toString(), "--ca-password-file", caPassword.toString(),
            "--password-file", userCaPassword.toString())).isEqualTo(1);
    }

    @Test
    void refusesToReplaceAnExistingAuthority(@TempDir Path directory) throws Exception {
        Path caPassword = Files.writeString(directory.resolve("ca.password"), "ca-secret\n");
        String[] init = {"ca-init", "--dir", directory.resolve("ca").toString(), "--organization", "Org", "--password-file", caPassword.toString()};

        assertThat(run(init)).isZero();
        assertThat(run(init)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("already exists");
    }

    @Test
    void aWrongCaPasswordOrMissingOptionIsAClearError(@TempDir Path directory) throws Exception {
        Path caPassword = Files.writeString(directory.resolve("ca.password"), "ca-secret\n");
        Path wrong = Files.writeString(directory.resolve("wrong.password"), "nope\n");
        run("ca-init", "--dir", directory.resolve("ca").toString(), "--organization", "Org", "--password-file", caPassword.toString());

        assertThat(run("node-credentials", "--ca", directory.resolve("ca").toString(), "--ca-password-file", wrong.toString(),
            "--peer-name", "p", "--out", directory.resolve("n.p12").toString(), "--password-file", caPassword.toString())).isEqualTo(1);
        assertThat(run("node-credentials", "--ca", directory.resolve("ca").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option");
    }

    @Test
    void helpForEveryCommandAndAWrongCommandLineIsStatusTwo() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ca-init", "node-credentials", "user-ca-init",
            "recovery-key-init", "recover-user", "certify-user", "revoke");
        for (String command : new String[] {"ca-init", "node-credentials", "user-ca-init", "recovery-key-init",
                "recover-user", "certify-user", "revoke"}) {
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: epost-admin " + command);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--peer-name", "--user-ca-password-file",
            "--node-certificate", "--days");
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required subcommand");
        assertThat(run("make-coffee")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("make-coffee");
        assertThat(run("ca-init", "--dir", "d", "--organization", "O", "--password-file", "p", "--colour", "red"))
            .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option", "'--colour'");
        assertThat(run("certify-user", "--ca", "c", "--password-file", "p", "--request", "r", "--out", "o",
            "--days", "a year")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid value for option '--days'");
    }
}
