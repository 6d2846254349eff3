package org.epost.peer.imap.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.peer.imap.framing.DecoderHarness.appendPlus;
import static org.epost.peer.imap.framing.DecoderHarness.content;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.mail.Flags;

import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imap.message.request.RenameRequest;
import org.apache.james.imap.message.request.LoginRequest;
import org.apache.james.imap.message.request.NoopRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ePOST's request decoder frames pipelined commands with literals of every kind, parsed by James's own parsers: the
 * reads of mbsync and offlineimap (several {@code APPEND ... {n+}} back to back), synchronizing literals, several
 * literals in one command, every read split at every octet, and literals larger than the in-memory limit.
 */
class PipelinedLiteralsTest {
    private static final String ONE = "Subject: one\r\n\r\nfirst\r\n";
    private static final String TWO = "Subject: two\r\n\r\nsecond, with {5}\r\nand {7+}\r\n";
    private static final String THREE = "Subject: three\r\n\r\nthird \u00e9\u00ff\r\n";

    @TempDir
    Path spool;

    private DecoderHarness epost() {
        return DecoderHarness.epost(DecoderHarness.limits(10 * 1024 * 1024, Integer.MAX_VALUE), spool);
    }

    @Test
    void appendsWithLiteralPlusLiteralsInOneReadAreAllDecoded() {
        DecoderHarness imap = epost();

        imap.read(appendPlus("a1", "INBOX", ONE) + appendPlus("a2", "INBOX", TWO) + appendPlus("a3", "INBOX", THREE));

        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2", "a3");
        assertThat(imap.appends()).extracting(append -> content(append.getMessage())).containsExactly(ONE, TWO, THREE);
        assertThat(imap.written()).as("LITERAL+ needs no continuation request").isEmpty();
    }

    @Test
    void synchronizingLiteralIsAskedForThenReadWithWhatFollowsIt() {
        DecoderHarness imap = epost();

        imap.read("a1 APPEND INBOX {" + ONE.length() + "}\r\n");
        assertThat(imap.written()).isEqualTo("+ Ok\r\n");
        assertThat(imap.decoded).isEmpty();

        imap.read(ONE + "\r\na2 NOOP\r\n" + appendPlus("a3", "INBOX", TWO));

        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2", "a3");
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
        assertThat(imap.appends()).extracting(append -> content(append.getMessage())).containsExactly(ONE, TWO);
        assertThat(imap.written()).isEmpty();
    }

    @Test
    void severalLiteralsOfBothKindsInOneCommandAndFlagsDateAndMailboxLiterals() {
        DecoderHarness imap = epost();

        imap.read("a1 RENAME {5+}\r\nalice {6}\r\n");
        assertThat(imap.written()).isEqualTo("+ Ok\r\n");
        imap.read("secret\r\na2 APPEND {9+}\r\nArchive/x (\\Seen \\Flagged) \"07-Dec-2026 01:02:03 +0000\" {"
            + THREE.length() + "+}\r\n" + THREE + "\r\na3 NOOP\r\n");

        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2", "a3");
        RenameRequest rename = (RenameRequest) imap.decoded.get(0);
        assertThat(rename.getExistingName()).isEqualTo("alice");
        assertThat(rename.getNewName()).isEqualTo("secret");
        AppendRequest append = imap.appends().get(0);
        assertThat(append.getMailboxName()).isEqualTo("Archive/x");
        assertThat(append.getFlags().contains(Flags.Flag.SEEN)).isTrue();
        assertThat(append.getFlags().contains(Flags.Flag.FLAGGED)).isTrue();
        assertThat(content(append.getMessage())).isEqualTo(THREE);
    }

    @Test
    void loginWithTwoLiteralsThenPipelinedCommands() {
        DecoderHarness imap = DecoderHarness.epostBeforeLogin(DecoderHarness.limits(1024, 4096), spool);

        imap.read("a1 LOGIN {16+}\r\nalice@epost.test {10}\r\n");
        assertThat(imap.written()).isEqualTo("+ Ok\r\n");
        imap.read("pass {}ord\r\na2 CAPABILITY\r\n");

        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2");
        LoginRequest login = (LoginRequest) imap.decoded.get(0);
        assertThat(login.getUserid().asString()).isEqualTo("alice@epost.test");
        assertThat(login.getPassword()).isEqualTo("pass {}ord");
    }

    @Test
    void everySplitOfTheReadsGivesTheSameCommands() {
        String pipelined = "a1 RENAME {5+}\r\nalice {6+}\r\nsecret\r\n" + appendPlus("a2", "INBOX", ONE)
            + "a3 APPEND INBOX (\\Seen) {" + TWO.length() + "+}\r\n" + TWO + "\r\n" + "a4 NOOP\r\n";
        DecoderHarness whole = epost().read(pipelined);
        DecoderHarness octets = epost().readOctetByOctet(pipelined);

        assertThat(octets.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2", "a3", "a4");
        assertThat(octets.appends()).extracting(append -> content(append.getMessage())).containsExactly(ONE, TWO);
        assertThat(whole.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2", "a3", "a4");
        for (int cut = 1; cut < pipelined.length(); cut++) {
            DecoderHarness split = epost().read(pipelined.substring(0, cut)).read(pipelined.substring(cut));
            assertThat(split.appends()).as("split at %d", cut)
                .extracting(append -> content(append.getMessage())).containsExactly(ONE, TWO);
            assertThat(split.decoded).as("split at %d", cut).hasSize(4);
        }
    }

    @Test
    void literalsBeyondTheInMemoryLimitGoToAnEncryptedFileDeletedWhenTheAppendIsDone() throws IOException {
        DecoderHarness imap = DecoderHarness.epost(DecoderHarness.limits(64 * 1024, Integer.MAX_VALUE), spool);
        String big = bigMessage(3 * 1024 * 1024 + 17);

        imap.read(appendPlus("a1", "INBOX", big) + appendPlus("a2", "INBOX", ONE) + "a3 NOOP\r\n");

        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2", "a3");
        AppendRequest bigAppend = imap.appends().get(0);
        assertThat(bigAppend.getMessage().size()).isEqualTo(big.length());
        assertThat(content(bigAppend.getMessage())).isEqualTo(big);
        List<Path> files = spoolFiles();
        assertThat(files).hasSize(1);
        assertThat(Files.readString(files.get(0), StandardCharsets.ISO_8859_1))
            .as("no plaintext on disk").hasSize(big.length()).doesNotContain("Subject: big");
        assertThat(content(imap.appends().get(1).getMessage())).isEqualTo(ONE);

        bigAppend.close();   // what James's core handler does once the APPEND is processed
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aLargeSynchronizingLiteralArrivingInPiecesIsReassembled() throws IOException {
        DecoderHarness imap = DecoderHarness.epost(DecoderHarness.limits(64 * 1024, Integer.MAX_VALUE), spool);
        String big = bigMessage(1024 * 1024);

        imap.read("a1 APPEND INBOX {" + big.length() + "}\r\n");
        assertThat(imap.written()).isEqualTo("+ Ok\r\n");
        for (int offset = 0; offset < big.length(); offset += 8191) {
            imap.read(big.substring(offset, Math.min(big.length(), offset + 8191)));
        }
        imap.read("\r\n");

        assertThat(imap.appends()).hasSize(1);
        assertThat(content(imap.appends().get(0).getMessage())).isEqualTo(big);
    }

    @Test
    void literalFilesOfACommandJamesRefusesAreDeleted() throws IOException {
        DecoderHarness imap = DecoderHarness.epost(DecoderHarness.limits(1024, Integer.MAX_VALUE), spool);

        // James's APPEND parser refuses text after the message literal; the file must not outlive the refusal.
        imap.read("a1 APPEND INBOX {70000+}\r\n" + "x".repeat(70000) + " junk\r\na2 NOOP\r\n");

        assertThat(imap.responses()).extracting(DecoderHarness::tag).containsExactly("a1");
        assertThat(imap.decoded.get(1)).isInstanceOf(NoopRequest.class);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aClosedConnectionDeletesTheHalfReceivedLiteral() throws IOException {
        DecoderHarness imap = DecoderHarness.epost(DecoderHarness.limits(1024, Integer.MAX_VALUE), spool);

        imap.read("a1 APPEND INBOX {100000+}\r\n" + "x".repeat(3000));
        assertThat(spoolFiles()).hasSize(1);
        imap.channel.close();

        assertThat(spoolFiles()).isEmpty();
        assertThat(imap.decoded).isEmpty();
    }

    @Test
    void lineHandlersGetWholeLinesBetweenCommands() {
        DecoderHarness imap = epost();
        StringBuilder lines = new StringBuilder();
        FramingImapRequestDecoder decoder = (FramingImapRequestDecoder) imap.channel.pipeline().get("requestDecoder");
        decoder.pushLineHandler(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                lines.append('[').append(((io.netty.buffer.ByteBuf) msg).toString(StandardCharsets.US_ASCII)).append(']');
                decoder.popLineHandler();
            }
        });

        imap.read("DO").read("NE\r\na2 NOOP\r\n");

        assertThat(lines).hasToString("[DONE\r\n]");
        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a2");
    }

    @Test
    void bareLineEndingsBetweenCommandsAreSkipped() {
        DecoderHarness imap = epost();

        imap.read(appendPlus("a1", "INBOX", ONE) + "\r\n\r\n\na2 NOOP\r\n");

        assertThat(imap.decoded).extracting(DecoderHarness::tag).containsExactly("a1", "a2");
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }

    static String bigMessage(int size) {
        StringBuilder message = new StringBuilder("Subject: big\r\n\r\n");
        for (int line = 0; message.length() < size; line++) {
            message.append("line ").append(line).append(" of a large message, with 8-bit \u00e9 and {3} in it\r\n");
        }
        message.setLength(size);
        return message.toString();
    }
}
