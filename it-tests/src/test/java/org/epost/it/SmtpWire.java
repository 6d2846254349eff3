package org.epost.it;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A plain SMTP client on a real socket, for what swaks cannot show: the raw reply of each command, a DATA body of tens
 * of megabytes streamed from a seeded generator without ever being in this JVM's memory.
 */
final class SmtpWire implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    SmtpWire(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15 * 60 * 1000); // only a hung peer; nothing asserts on speed
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        reply();
    }

    /** Sends one command line and answers its (possibly multi-line) reply, lines joined with newlines. */
    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /**
     * After a 354: a MIME message of about {@code bytes} bytes whose attachment is seeded random base64 (lines of 76
     * characters), then the terminating dot; answers the final reply.
     */
    String data(String subject, long bytes, long seed) throws IOException {
        write("From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
            + subject + "\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        Random random = new Random(seed);
        byte[] raw = new byte[57];
        long written = 0;
        while (written < bytes) {
            random.nextBytes(raw);
            byte[] line = (Base64.getEncoder().encodeToString(raw) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            out.write(line);
            written += line.length;
        }
        write("--b1--\r\n.\r\n");
        out.flush();
        return reply();
    }

    /** Raw DATA text (already dot-stuffed where needed), sent at once; no reply is expected yet. */
    void send(String text) throws IOException {
        write(text);
        out.flush();
    }

    /** Ends the DATA of {@link #send} with the terminating dot; answers the final reply. */
    String endData() throws IOException {
        write(".\r\n");
        out.flush();
        return reply();
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    private String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("the server closed the connection after " + lines);
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return String.join("\n", lines);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
