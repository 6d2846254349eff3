package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;

import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;

/** The refusal of a box the home cannot open: its canonical versioned encoding, its box binding and its signature. */
class BoxRefusalTest {
    private static final byte[] ID = new byte[Notification.ID_BYTES];
    private static final byte[] BOX = {1, 2, 3};

    @Test
    void roundTripsAndRefusesEveryMalformedVariant() throws Exception {
        BoxRefusal refusal = BoxRefusal.of(ID, "bob@example.org", BOX, BoxRefusal.Fault.DOES_NOT_OPEN);
        assertThat(BoxRefusal.decode(refusal.encode())).isEqualTo(refusal);
        for (BoxRefusal.Fault fault : BoxRefusal.Fault.values()) {
            assertThat(BoxRefusal.decode(BoxRefusal.of(ID, "bob@example.org", BOX, fault).encode()).fault())
                    .isEqualTo(fault);
        }
        byte[] hash = refusal.boxHash();
        List<byte[]> bad = RecordEncodings.malformed(refusal.encode());
        bad.add(CborRecordWriter.versioned(1, 4, 96).bytes(ID).text("bob@example.org").bytes(hash).number(99).end()
                .toBytes());
        bad.add(CborRecordWriter.versioned(1, 4, 96).bytes(ID).text("bob@example.org").bytes(new byte[31]).number(1)
                .end().toBytes());
        bad.add(CborRecordWriter.versioned(1, 4, 96).bytes(new byte[3]).text("bob@example.org").bytes(hash)
                .number(1).end().toBytes());
        bad.add(CborRecordWriter.versioned(1, 4, 96).bytes(ID).text("Bob@Example.org").bytes(hash).number(1).end()
                .toBytes());
        bad.add(CborRecordWriter.versioned(1, 3, 96).bytes(ID).text("bob@example.org").bytes(hash).end().toBytes());
        for (byte[] malformed : bad) {
            assertThatThrownBy(() -> BoxRefusal.decode(malformed)).as("%d bytes", malformed.length)
                    .isInstanceOf(MalformedNotificationException.class);
        }
        assertThatThrownBy(() -> BoxRefusal.decode(RecordEncodings.withVersion(refusal.encode(), 2)))
                .hasMessageContaining("version 2");
    }

    @Test
    void itRefusesOnlyTheBoxItWasMadeFor() {
        BoxRefusal refusal = BoxRefusal.of(ID, "bob@example.org", BOX, BoxRefusal.Fault.DOES_NOT_OPEN);
        assertThat(refusal.refuses(BOX.clone())).isTrue();
        assertThat(refusal.refuses(new byte[] {1, 2, 4})).isFalse();
        assertThat(refusal.refuses(new byte[0])).isFalse();
    }

    @Test
    void onlyTheRecipientsKeyMakesAValidSignatureAndItCoversEveryField() {
        KeyPair bob = Signatures.generateKeyPair();
        BoxRefusal refusal = BoxRefusal.of(ID, "bob@example.org", BOX, BoxRefusal.Fault.DOES_NOT_OPEN);
        byte[] signature = NotificationCrypto.signBoxRefusal(bob.getPrivate(), refusal);
        assertThat(NotificationCrypto.verifyBoxRefusal(bob.getPublic(), refusal, signature)).isTrue();
        assertThat(NotificationCrypto.verifyBoxRefusal(bob.getPublic(), refusal,
                NotificationCrypto.signBoxRefusal(Signatures.generateKeyPair().getPrivate(), refusal))).isFalse();
        assertThat(NotificationCrypto.verifyBoxRefusal(bob.getPublic(),
                BoxRefusal.of(ID, "bob@example.org", new byte[] {9}, BoxRefusal.Fault.DOES_NOT_OPEN), signature))
                .isFalse();
        assertThat(NotificationCrypto.verifyBoxRefusal(bob.getPublic(),
                BoxRefusal.of(ID, "bob@example.org", BOX, BoxRefusal.Fault.BAD_SIGNATURE), signature)).isFalse();
        assertThat(NotificationCrypto.verifyBoxRefusal(bob.getPublic(),
                BoxRefusal.of(ID, "carol@example.org", BOX, BoxRefusal.Fault.DOES_NOT_OPEN), signature)).isFalse();
        // neither a receipt's nor a refusal's signature is a box refusal's (domain separation)
        assertThat(NotificationCrypto.verifyBoxRefusal(bob.getPublic(), refusal,
                NotificationCrypto.signReceipt(bob.getPrivate(), ID, "bob@example.org"))).isFalse();
        assertThat(NotificationCrypto.verifyBoxRefusal(bob.getPublic(), refusal, NotificationCrypto.signRefusal(
                bob.getPrivate(), new Refusal(ID, "bob@example.org", RefusalReason.UNREADABLE)))).isFalse();
        assertThat(NotificationCrypto.verifyBoxRefusal(bob.getPublic(), refusal, null)).isFalse();
    }
}
