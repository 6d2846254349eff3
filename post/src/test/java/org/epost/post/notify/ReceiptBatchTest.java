package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;

/** One receipt for several notifications: its canonical versioned encoding and its signature. */
class ReceiptBatchTest {
    private static final String BOB = "bob@example.org";

    private static byte[] id(int n) {
        byte[] id = new byte[Notification.ID_BYTES];
        id[0] = (byte) n;
        return id;
    }

    private static byte[] encoding(String recipient, List<byte[]> ids) {
        CborRecordWriter out = CborRecordWriter.versioned(1, 2, 256).text(recipient);
        return out.list(ids, out::bytes).end().toBytes();
    }

    @Test
    void roundTripsInOrderAndRefusesEveryMalformedVariant() throws Exception {
        ReceiptBatch batch = new ReceiptBatch(BOB, List.of(id(3), id(1), id(2)));
        ReceiptBatch decoded = ReceiptBatch.decode(batch.encode());
        assertThat(decoded).isEqualTo(batch);
        assertThat(decoded.ids()).containsExactly(id(3), id(1), id(2));

        List<byte[]> bad = RecordEncodings.malformed(batch.encode());
        bad.add(encoding(BOB, List.of()));
        bad.add(encoding(BOB, List.of(id(1), id(2), id(1))));
        bad.add(encoding(BOB, List.of(id(1), new byte[3])));
        bad.add(encoding("Bob@Example.org", List.of(id(1))));
        List<byte[]> tooMany = new ArrayList<>();
        for (int i = 0; i <= ReceiptBatch.MAX_IDS; i++) {
            byte[] id = id(i);
            id[1] = (byte) (i >> 8);
            tooMany.add(id);
        }
        bad.add(encoding(BOB, tooMany));
        bad.add(CborRecordWriter.versioned(1, 1, 64).text(BOB).end().toBytes());
        for (byte[] malformed : bad) {
            assertThatThrownBy(() -> ReceiptBatch.decode(malformed)).as("%d bytes", malformed.length)
                    .isInstanceOf(MalformedNotificationException.class);
        }
        assertThatThrownBy(() -> ReceiptBatch.decode(RecordEncodings.withVersion(batch.encode(), 2)))
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> new ReceiptBatch(BOB, Collections.nCopies(2, id(7))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSignatureCoversExactlyTheIdsNamedAndOnlyTheRecipientsKeyMakesIt() {
        KeyPair bob = Signatures.generateKeyPair();
        KeyPair mallory = Signatures.generateKeyPair();
        ReceiptBatch batch = new ReceiptBatch(BOB, List.of(id(1), id(2)));
        byte[] signature = NotificationCrypto.signReceipts(bob.getPrivate(), batch);
        assertThat(NotificationCrypto.verifyReceipts(bob.getPublic(), batch.encode(), signature)).isTrue();
        // a member added, one left out, the order changed: no longer what was signed
        for (List<byte[]> other : List.of(List.of(id(1), id(2), id(3)), List.of(id(1)), List.of(id(2), id(1)))) {
            assertThat(NotificationCrypto.verifyReceipts(bob.getPublic(), new ReceiptBatch(BOB, other).encode(),
                    signature)).isFalse();
        }
        assertThat(NotificationCrypto.verifyReceipts(bob.getPublic(), batch.encode(),
                NotificationCrypto.signReceipts(mallory.getPrivate(), batch))).isFalse();
        // a single receipt's signature is never a batch's (domain separation), nor is nothing
        assertThat(NotificationCrypto.verifyReceipts(bob.getPublic(), new ReceiptBatch(BOB, List.of(id(1)))
                .encode(), NotificationCrypto.signReceipt(bob.getPrivate(), id(1), BOB))).isFalse();
        assertThat(NotificationCrypto.verifyReceipts(bob.getPublic(), batch.encode(), null)).isFalse();
    }
}
