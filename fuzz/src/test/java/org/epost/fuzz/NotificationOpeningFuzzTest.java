package org.epost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;

import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.SealedBox;
import org.epost.post.notify.MalformedNotificationException;
import org.epost.post.notify.NotificationCrypto;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Opening a notification as a recipient's peer does ({@link NotificationCrypto#open}): fuzzed boxes, and fuzzed
 * plaintexts sealed for the recipient's real key so that the fuzzer reaches the decoders behind the box. Either the
 * notification opens or a {@link CryptoException} / {@link MalformedNotificationException} says why not.
 */
class NotificationOpeningFuzzTest {
    private static final KeyPair RECIPIENT = SealedBox.generateKeyPair();

    @FuzzTest(maxDuration = "2m")
    void openNotification(FuzzedDataProvider data) {
        boolean sealed = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        byte[] box = sealed ? SealedBox.seal(RECIPIENT.getPublic(), bytes, NotificationCrypto.BOX_CONTEXT) : bytes;
        try {
            NotificationCrypto.Opened opened = NotificationCrypto.open(RECIPIENT, box);
            assertThat(opened.notification()).isNotNull();
        } catch (CryptoException | MalformedNotificationException e) {
            // a clean rejection
        }
    }

    @Test
    void aBoxThatIsNotANotificationIsRejectedCleanly() {
        byte[] box = SealedBox.seal(RECIPIENT.getPublic(), new byte[] {(byte) 0x82, 1, 2},
            NotificationCrypto.BOX_CONTEXT);
        assertThatThrownBy(() -> NotificationCrypto.open(RECIPIENT, box))
            .isInstanceOf(MalformedNotificationException.class);
        assertThatThrownBy(() -> NotificationCrypto.open(RECIPIENT, new byte[] {1, 2, 3}))
            .isInstanceOf(CryptoException.class);
    }
}
