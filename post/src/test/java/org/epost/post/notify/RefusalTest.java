package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;

import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;

/** The negative receipt: its canonical versioned encoding and its signature. */
class RefusalTest {
    private static final byte[] ID = new byte[Notification.ID_BYTES];

    @Test
    void roundTripsAndRefusesEveryMalformedVariant() throws Exception {
        Refusal refusal = new Refusal(ID, "bob@example.org", RefusalReason.QUOTA);
        assertThat(Refusal.decode(refusal.encode())).isEqualTo(refusal);
        for (RefusalReason reason : RefusalReason.values()) {
            Refusal other = new Refusal(ID, "bob@example.org", reason);
            assertThat(Refusal.decode(other.encode()).reason()).isEqualTo(reason);
        }
        List<byte[]> bad = RecordEncodings.malformed(refusal.encode());
        bad.add(CborRecordWriter.versioned(1, 3, 64).bytes(ID).text("bob@example.org").number(99).end().toBytes());
        bad.add(CborRecordWriter.versioned(1, 3, 64).bytes(new byte[3]).text("bob@example.org").number(1).end()
                .toBytes());
        bad.add(CborRecordWriter.versioned(1, 3, 64).bytes(ID).text("Bob@Example.org").number(1).end().toBytes());
        bad.add(CborRecordWriter.versioned(1, 2, 64).bytes(ID).text("bob@example.org").end().toBytes());
        for (byte[] malformed : bad) {
            assertThatThrownBy(() -> Refusal.decode(malformed)).as("%d bytes", malformed.length)
                    .isInstanceOf(MalformedNotificationException.class);
        }
        assertThatThrownBy(() -> Refusal.decode(RecordEncodings.withVersion(refusal.encode(), 2)))
                .hasMessageContaining("version 2");
    }

    @Test
    void onlyTheRecipientsKeyMakesAValidSignatureAndItCoversEveryField() {
        KeyPair bob = Signatures.generateKeyPair();
        KeyPair mallory = Signatures.generateKeyPair();
        Refusal refusal = new Refusal(ID, "bob@example.org", RefusalReason.QUOTA);
        byte[] signature = NotificationCrypto.signRefusal(bob.getPrivate(), refusal);
        assertThat(NotificationCrypto.verifyRefusal(bob.getPublic(), refusal, signature)).isTrue();
        assertThat(NotificationCrypto.verifyRefusal(bob.getPublic(), refusal,
                NotificationCrypto.signRefusal(mallory.getPrivate(), refusal))).isFalse();
        assertThat(NotificationCrypto.verifyRefusal(bob.getPublic(),
                new Refusal(ID, "bob@example.org", RefusalReason.UNREADABLE), signature)).isFalse();
        // a positive receipt's signature is never a refusal's, nor the reverse (domain separation)
        assertThat(NotificationCrypto.verifyRefusal(bob.getPublic(), refusal,
                NotificationCrypto.signReceipt(bob.getPrivate(), ID, "bob@example.org"))).isFalse();
        assertThat(NotificationCrypto.verifyRefusal(bob.getPublic(), refusal, null)).isFalse();
    }
}
