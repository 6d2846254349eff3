package org.epost.interop.relay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.epost.interop.routes.Route;

/**
 * One SMTP or LMTP transaction with the legacy server (RFC 5321 / RFC 2033): greeting, EHLO or LHLO, MAIL, one RCPT
 * per recipient, DATA with dot-stuffing, QUIT. LMTP answers DATA once per accepted recipient, SMTP once for all, so the
 * result is always one reply per recipient. Plain TCP: the legacy server is expected on the organization's own network
 * (STARTTLS to it is not implemented). A connection or protocol failure is an {@link IOException}: temporary for every
 * recipient.
 */
public final class LegacyRelayClient {
    private static final int MAX_REPLY_BYTES = 64 * 1024;

    private final Duration timeout;
    private final String heloName;

    public LegacyRelayClient(Duration timeout, String heloName) {
        this.timeout = timeout;
        this.heloName = heloName;
    }

    /** Sends {@code message} from {@code sender} (empty for the null sender) and answers one reply per recipient. */
    public Map<String, RelayReply> send(Route route, String sender, List<String> recipients, byte[] message)
            throws IOException {
        boolean lmtp = route.protocol() == Route.Protocol.LMTP;
        try (Socket socket = connect(route)) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            hello(in, out, lmtp);
            Map<String, RelayReply> replies = new LinkedHashMap<>();
            RelayReply mail = command(in, out, "MAIL FROM:<" + sender + ">");
            if (!mail.isPositive()) {
                recipients.forEach(recipient -> replies.put(recipient, mail));
                quit(in, out);
                return replies;
            }
            List<String> accepted = new ArrayList<>();
            for (String recipient : recipients) {
                RelayReply reply = command(in, out, "RCPT TO:<" + recipient + ">");
                replies.put(recipient, reply);
                if (reply.isPositive()) {
                    accepted.add(recipient);
                }
            }
            if (accepted.isEmpty()) {
                quit(in, out);
                return replies;
            }
            RelayReply data = command(in, out, "DATA");
            if (data.code() != 354) {
                accepted.forEach(recipient -> replies.put(recipient, data));
                quit(in, out);
                return replies;
            }
            out.write(dotStuffed(message));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (lmtp) {
                for (String recipient : accepted) {
                    replies.put(recipient, read(in));
                }
            } else {
                RelayReply reply = read(in);
                accepted.forEach(recipient -> replies.put(recipient, reply));
            }
            quit(in, out);
            return replies;
        }
    }

    /**
     * Asks the legacy server whether it takes mail for {@code recipient}, as a relay would (null sender, one RCPT), and
     * sends none: the answer to RCPT, or to MAIL if that was refused.
     */
    public RelayReply probe(Route route, String recipient) throws IOException {
        boolean lmtp = route.protocol() == Route.Protocol.LMTP;
        try (Socket socket = connect(route)) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            hello(in, out, lmtp);
            RelayReply answer = command(in, out, "MAIL FROM:<>");
            if (answer.isPositive()) {
                answer = command(in, out, "RCPT TO:<" + recipient + ">");
                command(in, out, "RSET");
            }
            quit(in, out);
            return answer;
        }
    }

    private Socket connect(Route route) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(route.host(), route.port()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void hello(InputStream in, OutputStream out, boolean lmtp) throws IOException {
        expect(read(in), 220, "greeting");
        expect(command(in, out, (lmtp ? "LHLO " : "EHLO ") + heloName), 250, lmtp ? "LHLO" : "EHLO");
    }

    /**
     * The message as DATA sends it: every line ending CRLF (a bare LF or CR becomes CRLF, as the wire requires), a dot
     * at the start of a line doubled, and a final CRLF if the message lacks one.
     */
    static byte[] dotStuffed(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 50 + 8);
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == '\r' || b == '\n') {
                out.write('\r');
                out.write('\n');
                if (b == '\r' && i + 1 < message.length && message[i + 1] == '\n') {
                    i++;
                }
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = false;
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void quit(InputStream in, OutputStream out) {
        try {
            command(in, out, "QUIT");
        } catch (IOException e) {
            // The transaction is over; a server that drops the connection at QUIT changed nothing.
        }
    }

    private static RelayReply command(InputStream in, OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read(in);
    }

    private static void expect(RelayReply reply, int code, String what) throws IOException {
        if (reply.code() != code) {
            throw new IOException("legacy server refused " + what + ": " + reply);
        }
    }

    /** Reads one (possibly multi-line) reply. */
    static RelayReply read(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int total = 0;
        while (true) {
            String line = readLine(in);
            total += line.length();
            if (line.length() < 3 || total > MAX_REPLY_BYTES) {
                throw new IOException("malformed reply from the legacy server: '" + line + "'");
            }
            int code;
            try {
                code = Integer.parseInt(line.substring(0, 3));
            } catch (NumberFormatException e) {
                throw new IOException("malformed reply from the legacy server: '" + line + "'");
            }
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new RelayReply(code, text.toString());
            }
            if (line.charAt(3) != '-') {
                throw new IOException("malformed reply from the legacy server: '" + line + "'");
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the legacy server closed the connection");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() > MAX_REPLY_BYTES) {
                throw new IOException("reply line from the legacy server too long");
            }
            line.write(b);
        }
    }
}
