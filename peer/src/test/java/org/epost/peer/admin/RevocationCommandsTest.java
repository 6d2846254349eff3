package org.epost.peer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.epost.overlay.id.Id;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.overlay.security.PeerCertificateVerifier;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.security.Revocations;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.revocation.RevocationBlocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code epost-admin revoke}: each list carries every earlier revocation, numbered one above the last. */
class RevocationCommandsTest {
    private final AdminConsole admin = new AdminConsole();

    private int run(String... args) {
        return admin.run(args);
    }

    @Test
    void revokesANodeThenAUserKeyAndPeersVerifyTheListWithWhatTheyTrust(@TempDir Path directory) throws Exception {
        Path ca = admin.initAuthority(directory);
        Path caPassword = directory.resolve("ca.password");
        Path userCaPassword = directory.resolve("user-ca.password");
        Path node = directory.resolve("node.p12");
        run("node-credentials", "--ca", ca.toString(), "--ca-password-file", caPassword.toString(), "--peer-name",
            "stolen", "--out", node.toString(), "--password-file", caPassword.toString());
        NodeCredentials stolen = NodeCredentials.load(node, "ca-secret".toCharArray());
        Id userKey = Id.hash("a user's signing key");
        String[] common = {"--ca", ca.toString(), "--ca-password-file", caPassword.toString(), "--user-ca-password-file",
            userCaPassword.toString()};

        assertThat(run(concat(new String[] {"revoke", "--node", stolen.nodeId().toHex()}, common))).isZero();
        Path upload = directory.resolve("upload.block");
        assertThat(run(concat(new String[] {"revoke", "--user-key", userKey.toHex(), "--out", upload.toString()},
            common))).isZero();

        OrganizationAuthority authority = OrganizationAuthority.load(ca, "ca-secret".toCharArray());
        RevocationList list = RevocationBlocks.unwrap(RevocationBlocks.verify(Files.readAllBytes(upload),
            OrganizationUserAuthority.loadTrustedPublicKey(ca.resolve(OrganizationUserAuthority.PUBLIC_FILE),
                authority.certificate()), System::currentTimeMillis));
        assertThat(list.number()).isEqualTo(2);
        assertThat(list.nodes()).containsExactly(stolen.nodeId());
        assertThat(list.userKeys()).containsExactly(userKey);
        Revocations revocations = new Revocations(authority.certificate().getPublicKey());
        assertThat(revocations.offer(list)).isEqualTo(Revocations.Outcome.ADOPTED);
        assertThat(new PeerCertificateVerifier(authority.certificate(), revocations)
            .rejection(stolen.certificate(), stolen.nodeId(), java.time.Instant.now())).get().asString()
            .contains("is revoked");
        assertThat(admin.out()).contains("revocation list 2").contains("/epost/revocations");
    }

    @Test
    void aBadIdOrAWrongPasswordIsAClearError(@TempDir Path directory) throws Exception {
        Path ca = admin.initAuthority(directory);
        Path caPassword = directory.resolve("ca.password");
        Path userCaPassword = directory.resolve("user-ca.password");

        assertThat(run("revoke", "--ca", ca.toString(), "--ca-password-file", caPassword.toString(),
            "--user-ca-password-file", userCaPassword.toString(), "--node", "not-hex")).isEqualTo(1);
        assertThat(run("revoke", "--ca", ca.toString(), "--ca-password-file", userCaPassword.toString(),
            "--user-ca-password-file", userCaPassword.toString(), "--node", Id.hash("x").toHex())).isEqualTo(1);
        assertThat(admin.err()).contains("revoke failed: not a node id or user key")
            .contains("revoke failed: keystore password was incorrect");
        assertThat(Files.exists(ca.resolve(RevocationCommands.STATE_FILE))).isFalse();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
