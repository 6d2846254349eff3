package org.epost.mailbox.spill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedMessageSpillTest {
    private static final String MARKER = "marker-7f3a9c1e-plaintext";

    @TempDir
    Path directory;

    @Test
    void aSmallMessageStaysInTheHeapAndNoFileIsMade() throws IOException {
        EncryptedMessageSpill spill = new EncryptedMessageSpill("small", directory, 1024);
        byte[] message = message(500);
        spill.output().write(message);
        spill.output().close();

        assertThat(spill.file()).isEmpty();
        assertThat(directory.toFile().list()).isEmpty();
        assertThat(spill.getMessageSize()).isEqualTo(message.length);
        try (InputStream in = spill.getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(message);
        }
    }

    @Test
    void aLargeMessageIsOnDiskOnlyEncryptedReadableAgainAndGoneAfterDispose() throws IOException {
        EncryptedMessageSpill spill = new EncryptedMessageSpill("large", directory, 1024);
        byte[] message = message(300_000);
        OutputStream out = spill.output();
        for (int i = 0; i < message.length; i += 1000) {
            out.write(message, i, Math.min(1000, message.length - i));
        }
        // while it is received: a file exists, the marker is nowhere on disk
        assertThat(spill.file()).isPresent();
        assertThat(Files.readString(spill.file().get(), StandardCharsets.ISO_8859_1)).doesNotContain(MARKER);
        out.close();

        Path file = spill.file().get();
        assertThat(Files.size(file)).isEqualTo(message.length);
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).doesNotContain(MARKER);
        // read twice, as James does (size, parsing, spooling)
        for (int i = 0; i < 2; i++) {
            try (InputStream in = spill.getInputStream()) {
                assertThat(in.readAllBytes()).isEqualTo(message);
            }
        }
        assertThat(spill.getMessageSize()).isEqualTo(message.length);

        spill.dispose();
        assertThat(file).doesNotExist();
        assertThatThrownBy(() -> spill.output().write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void theSameMessageSpilledTwiceGivesDifferentFiles() throws IOException {
        byte[] message = message(5000);
        byte[][] files = new byte[2][];
        for (int i = 0; i < 2; i++) {
            EncryptedMessageSpill spill = new EncryptedMessageSpill("twice" + i, directory, 100);
            spill.output().write(message);
            spill.output().close();
            files[i] = Files.readAllBytes(spill.file().get());
            spill.dispose();
        }
        // a fresh key per message: equal messages are not recognisable on disk
        assertThat(files[0]).isNotEqualTo(files[1]).isNotEqualTo(message);
    }

    @Test
    void aMessageStillBeingReceivedCannotBeRead() throws IOException {
        EncryptedMessageSpill spill = new EncryptedMessageSpill("open", directory, 100);
        spill.output().write(message(10));
        assertThatThrownBy(spill::getInputStream).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("still being received");
        spill.dispose();
    }

    private static byte[] message(int size) {
        StringBuilder text = new StringBuilder("Subject: spill\r\n\r\n");
        while (text.length() < size) {
            text.append("Body line with ").append(MARKER).append("\r\n");
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }
}
