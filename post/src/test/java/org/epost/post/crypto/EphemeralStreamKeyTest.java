package org.epost.post.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class EphemeralStreamKeyTest {
    private static final byte[] TEXT = "Subject: spilled\r\n\r\na line of the message\r\n".repeat(100)
        .getBytes(StandardCharsets.US_ASCII);

    @Test
    void whatOneKeyEncryptsItAloneDecrypts() throws IOException {
        EphemeralStreamKey key = EphemeralStreamKey.fresh();
        byte[] encrypted = encrypt(key, TEXT);

        assertThat(encrypted).hasSameSizeAs(TEXT).isNotEqualTo(TEXT);
        assertThat(new String(encrypted, StandardCharsets.ISO_8859_1)).doesNotContain("a line of the message");
        try (InputStream in = key.decrypting(new ByteArrayInputStream(encrypted))) {
            assertThat(in.readAllBytes()).isEqualTo(TEXT);
        }
        // another key (another message's) sees noise
        try (InputStream in = EphemeralStreamKey.fresh().decrypting(new ByteArrayInputStream(encrypted))) {
            assertThat(in.readAllBytes()).isNotEqualTo(TEXT);
        }
    }

    @Test
    void twoKeysEncryptTheSameTextDifferently() throws IOException {
        assertThat(encrypt(EphemeralStreamKey.fresh(), TEXT)).isNotEqualTo(encrypt(EphemeralStreamKey.fresh(), TEXT));
    }

    private static byte[] encrypt(EphemeralStreamKey key, byte[] text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encrypting = key.encrypting(out)) {
            encrypting.write(text);
        }
        return out.toByteArray();
    }
}
