package org.epost.post.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.epost.post.testing.Seeded;

/** Raw RFC 5322 / MIME messages for the tests: hand-written shapes, seeded random trees, and garbled variants. */
final class MimeSamples {
    private MimeSamples() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Base64 with 76-character lines, CRLF-terminated, as mail clients write attachments. */
    static String base64Lines(byte[] data) {
        return Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(data) + "\r\n";
    }

    /** A text message with one base64 attachment of {@code attachment}, with headers that make it unique. */
    static byte[] withAttachment(String from, String to, String subject, String text, byte[] attachment) {
        String boundary = "=_b" + Integer.toHexString((from + to + subject).hashCode());
        return ascii("Return-Path: <" + from + ">\r\n"
            + "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n"
            + "Message-ID: <" + Integer.toHexString(subject.hashCode()) + "@epost.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed;\r\n\tboundary=\"" + boundary + "\"\r\n"
            + "\r\n"
            + "This is a multi-part message in MIME format.\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            + text + "\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=\"data.bin\"\r\n\r\n"
            + base64Lines(attachment)
            + "--" + boundary + "--\r\n");
    }

    /** A random message: a random MIME tree, its large leaf bodies recorded in {@code leaves}. */
    static byte[] randomMessage(Random random, List<byte[]> leaves) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("From: a" + random.nextInt(100) + "@epost.test\r\nSubject: sample "
            + random.nextInt() + "\r\nMIME-Version: 1.0\r\n"));
        entity(random, out, 0, leaves);
        return out.toByteArray();
    }

    /** Writes the rest of an entity's header (its Content-Type line and more), the empty line and the body. */
    private static void entity(Random random, ByteArrayOutputStream out, int depth, List<byte[]> leaves) {
        int kind = depth >= 3 ? 0 : random.nextInt(4);
        if (kind == 1 || kind == 2) {
            String boundary = "b" + depth + "_" + Long.toHexString(random.nextLong());
            boolean quoted = random.nextBoolean();
            out.writeBytes(ascii("Content-Type: multipart/" + (kind == 1 ? "mixed" : "alternative") + ";"
                + (random.nextBoolean() ? "\r\n " : " ") + "boundary=" + (quoted ? "\"" + boundary + "\"" : boundary)
                + "\r\n\r\n"));
            if (random.nextBoolean()) {
                out.writeBytes(ascii("preamble " + random.nextInt() + "\r\n"));
            }
            int parts = 1 + random.nextInt(4);
            for (int i = 0; i < parts; i++) {
                out.writeBytes(ascii("--" + boundary + (random.nextInt(5) == 0 ? "  " : "") + "\r\n"));
                entity(random, out, depth + 1, leaves);
                out.writeBytes(ascii("\r\n"));
            }
            out.writeBytes(ascii("--" + boundary + "--"));
            if (random.nextBoolean()) {
                out.writeBytes(ascii("\r\nepilogue " + random.nextInt() + "\r\n"));
            }
        } else if (kind == 3) {
            out.writeBytes(ascii("Content-Type: message/rfc822\r\n\r\nFrom: inner@epost.test\r\nSubject: inner\r\n"));
            entity(random, out, depth + 1, leaves);
        } else {
            byte[] body;
            if (random.nextBoolean()) {
                out.writeBytes(ascii("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
                body = ascii(base64Lines(Seeded.bytes(random.nextInt(3000), random.nextLong())));
            } else {
                out.writeBytes(ascii("Content-Type: text/plain\r\n\r\n"));
                StringBuilder text = new StringBuilder();
                int lines = random.nextInt(40);
                for (int i = 0; i < lines; i++) {
                    text.append("line ").append(i).append(' ').append(Long.toHexString(random.nextLong())).append("\r\n");
                }
                body = ascii(text.toString());
            }
            // the CRLF that ends the body belongs to the next delimiter, so the leaf body is without its last CRLF
            if (body.length >= 2) {
                byte[] leaf = new byte[body.length - 2];
                System.arraycopy(body, 0, leaf, 0, leaf.length);
                leaves.add(leaf);
                out.writeBytes(leaf);
            }
        }
    }

    /** {@code message} damaged in a few random ways (bytes changed, cut, repeated, bare line breaks, stray boundaries). */
    static byte[] garble(Random random, byte[] message) {
        List<Byte> bytes = new ArrayList<>(message.length);
        for (byte b : message) {
            bytes.add(b);
        }
        int damages = 1 + random.nextInt(4);
        for (int d = 0; d < damages && !bytes.isEmpty(); d++) {
            int at = random.nextInt(bytes.size());
            switch (random.nextInt(6)) {
                case 0 -> bytes.set(at, (byte) random.nextInt(256));
                case 1 -> bytes.subList(at, Math.min(bytes.size(), at + random.nextInt(200))).clear();
                case 2 -> bytes.add(at, (byte) '\n');
                case 3 -> bytes.add(at, (byte) '\r');
                case 4 -> {
                    for (byte b : ascii("\r\n--b1_" + random.nextInt(10) + "--\r\n")) {
                        bytes.add(at++, b);
                    }
                }
                default -> bytes.subList(at, bytes.size()).clear();
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
