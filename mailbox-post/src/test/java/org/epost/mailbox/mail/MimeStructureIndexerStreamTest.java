package org.epost.mailbox.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.epost.post.store.RandomAccessBytes;
import org.junit.jupiter.api.Test;

/** A message read by position (spilled to disk) is described as a stream, exactly as from an array. */
class MimeStructureIndexerStreamTest {
    private static final MimeStructureIndexer INDEXER = new MimeStructureIndexer();

    /** Only readable by position, as a scratch file is. */
    private static RandomAccessBytes byPosition(byte[] bytes) {
        RandomAccessBytes inMemory = RandomAccessBytes.of(bytes);
        return new RandomAccessBytes() {
            @Override
            public long length() {
                return inMemory.length();
            }

            @Override
            public byte[] read(long position, int length) {
                return inMemory.read(position, length);
            }
        };
    }

    @Test
    void aMultipartReadAsAStreamGetsTheSameDescriptionAsFromAnArray() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            body.append("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3\r\n");
        }
        byte[] message = ("From: a@epost.test\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--q\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body
            + "--q--\r\n").getBytes(StandardCharsets.US_ASCII);

        assertThat(INDEXER.describe(message)).isPresent();
        assertThat(INDEXER.describe(byPosition(message)).get()).isEqualTo(INDEXER.describe(message).get());
    }

    @Test
    void aSourceThatCannotBeReadIsStoredWithoutADescription() {
        RandomAccessBytes broken = new RandomAccessBytes() {
            @Override
            public long length() {
                return 1_000;
            }

            @Override
            public byte[] read(long position, int length) {
                throw new java.io.UncheckedIOException(new java.io.IOException("gone"));
            }
        };
        assertThat(INDEXER.describe(broken)).isEmpty();
    }
}
