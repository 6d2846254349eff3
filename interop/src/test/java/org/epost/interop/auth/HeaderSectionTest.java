package org.epost.interop.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HeaderSectionTest {
    private static String[] split(String message, int max) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1));
        byte[] header = HeaderSection.read(in, max);
        return new String[] {header == null ? null : new String(header, StandardCharsets.ISO_8859_1),
            new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)};
    }

    @Test
    void readsUpToAndIncludingTheEmptyLineAndLeavesTheBody() throws Exception {
        assertThat(split("A: 1\r\n folded\r\nB: 2\r\n\r\nbody\r\n\r\nmore", 1000))
            .containsExactly("A: 1\r\n folded\r\nB: 2\r\n\r\n", "body\r\n\r\nmore");
        assertThat(split("A: 1\nB: x\r\n\nbody", 1000)).containsExactly("A: 1\nB: x\r\n\n", "body");
        assertThat(split("\r\nbody", 1000)).containsExactly("\r\n", "body");
        assertThat(split("A: 1\r\nB: 2", 1000)).containsExactly("A: 1\r\nB: 2", "");
        assertThat(split("A: 1\r\nB: 2\r\n\r\nbody", 5)[0]).isNull();
    }
}
