package org.epost.overlay.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCertificatesTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    private final KeyPair caKeys = NodeCertificates.generateKeyPair();
    private final X509Certificate ca = NodeCertificates.createAuthority(caKeys, "Example Org", NOW, YEAR);
    private final PeerCertificateVerifier verifier = new PeerCertificateVerifier(ca);

    @Test
    void aNodeCertificateEntitlesItsHolderToTheHashOfItsKey() {
        KeyPair node = NodeCertificates.generateKeyPair();
        X509Certificate certificate = NodeCertificates.issueNodeCertificate(caKeys, ca, node.getPublic(), "peer1", NOW, YEAR);

        Id id = NodeCertificates.nodeIdOf(node.getPublic());

        assertThat(id).isEqualTo(Id.hash(node.getPublic().getEncoded()));
        assertThat(verifier.rejection(certificate, id, NOW.plusSeconds(60))).isEmpty();
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=peer1").contains("O=Example Org");
    }

    @Test
    void aClaimedIdOtherThanTheCertifiedOneIsRejected() {
        KeyPair node = NodeCertificates.generateKeyPair();
        X509Certificate certificate = NodeCertificates.issueNodeCertificate(caKeys, ca, node.getPublic(), "peer1", NOW, YEAR);
        Id someoneElse = NodeCertificates.nodeIdOf(NodeCertificates.generateKeyPair().getPublic());

        assertThat(verifier.rejection(certificate, someoneElse, NOW)).get().asString().contains("claims node id");
    }

    @Test
    void aCertificateFromAnotherAuthorityIsRejected() {
        KeyPair otherCaKeys = NodeCertificates.generateKeyPair();
        X509Certificate otherCa = NodeCertificates.createAuthority(otherCaKeys, "Evil Org", NOW, YEAR);
        KeyPair node = NodeCertificates.generateKeyPair();
        X509Certificate certificate = NodeCertificates.issueNodeCertificate(otherCaKeys, otherCa, node.getPublic(), "intruder", NOW, YEAR);

        assertThat(verifier.rejection(certificate, NodeCertificates.nodeIdOf(node.getPublic()), NOW))
            .get().asString().contains("not signed by the organization CA");
    }

    @Test
    void anExpiredCertificateIsRejected() {
        KeyPair node = NodeCertificates.generateKeyPair();
        X509Certificate certificate = NodeCertificates.issueNodeCertificate(caKeys, ca, node.getPublic(), "peer1", NOW, Duration.ofDays(1));

        assertThat(verifier.rejection(certificate, NodeCertificates.nodeIdOf(node.getPublic()), NOW.plus(Duration.ofDays(2))))
            .get().asString().contains("not valid");
    }

    @Test
    void theCaCertificateItselfCannotIdentifyANode() {
        assertThat(verifier.rejection(ca, NodeCertificates.nodeIdOf(caKeys.getPublic()), NOW))
            .get().asString().contains("CA certificate");
    }

    @Test
    void credentialsRoundTripThroughAPkcs12File(@TempDir Path directory) throws Exception {
        KeyPair node = NodeCertificates.generateKeyPair();
        X509Certificate certificate = NodeCertificates.issueNodeCertificate(caKeys, ca, node.getPublic(), "peer1", NOW, YEAR);
        NodeCredentials credentials = new NodeCredentials(node.getPrivate(), certificate, ca);
        Path file = directory.resolve("node/node.p12");

        credentials.save(file, "s3cret".toCharArray());
        NodeCredentials loaded = NodeCredentials.load(file, "s3cret".toCharArray());

        assertThat(loaded.nodeId()).isEqualTo(credentials.nodeId());
        assertThat(loaded.certificate()).isEqualTo(certificate);
        assertThat(loaded.authority()).isEqualTo(ca);
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(node.getPrivate().getEncoded());
        assertThatThrownBy(() -> NodeCredentials.load(file, "wrong".toCharArray())).isInstanceOf(IOException.class);
        assertThat(Files.exists(file.resolveSibling("node.p12.tmp"))).isFalse();
    }
}
