package org.epost.mailbox.spill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import javax.mail.MessagingException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageScratchFileTest {
    @TempDir
    Path directory;

    private static byte[] message(int size) {
        byte[] marker = "MARKER-plaintext-line\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[size];
        for (int i = 0; i < size; i++) {
            message[i] = marker[i % marker.length];
        }
        return message;
    }

    @Test
    void anyRangeReadsBackAsWrittenAndTheFileHoldsNoPlaintext() throws Exception {
        byte[] message = message(3_000_017);
        try (MessageScratchFile file = MessageScratchFile.copyOf(directory, out -> {
            out.write(message);
            out.close();
        })) {
            assertThat(file.length()).isEqualTo(message.length);
            Random random = new Random(7);
            for (int i = 0; i < 200; i++) {
                int position = random.nextInt(message.length);
                int length = random.nextInt(Math.min(200_000, message.length - position) + 1);
                assertThat(file.read(position, length))
                    .isEqualTo(Arrays.copyOfRange(message, position, position + length));
            }
            assertThat(file.read(0, message.length)).isEqualTo(message);
            byte[] onDisk = Files.readAllBytes(file.file());
            assertThat(onDisk).hasSize(message.length);
            assertThat(new String(onDisk, StandardCharsets.ISO_8859_1)).doesNotContain("MARKER");
            assertThatThrownBy(() -> file.read(message.length - 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        }
        try (var left = Files.list(directory)) {
            assertThat(left).as("closing deletes the file").isEmpty();
        }
    }

    @Test
    void aWriterThatFailsLeavesNoFileBehind() {
        assertThatThrownBy(() -> MessageScratchFile.copyOf(directory, out -> {
            out.write(message(100_000));
            throw new MessagingException("the spill is gone");
        })).isInstanceOf(MessagingException.class).hasMessage("the spill is gone");
        assertThat(directory.toFile().list()).isEmpty();
    }
}
