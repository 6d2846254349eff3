package org.epost.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.server.core.MailImpl;
import org.epost.mailbox.mail.HeaderSectionMeter;
import org.epost.post.notify.Notification;
import org.junit.jupiter.api.Test;

class EpostMessageHookTest {
    // Header folding and spacing a re-serialization would change: the stored bytes must be these, minus Bcc.
    private static final String RAW = "Received: from client (localhost [127.0.0.1])\r\n"
        + "\tby peer1 with SMTP ID 42;  Mon, 1 Jan 2024 00:00:00 +0000\r\n"
        + "From:   alice@epost.test\r\nTo: bob@epost.test,\r\n   carol@epost.test\r\nBcc: dave@epost.test\r\n"
        + "Subject: plans\r\n\r\nSee you.\r\n";
    private static final String DELIVERED = RAW.replace("Bcc: dave@epost.test\r\n", "");

    private final TestPeer peer = new TestPeer();

    @org.junit.jupiter.api.AfterEach
    void disposeMails() {
        TestPeer.disposeMails();
    }
    private final EpostMessageHook hook = new EpostMessageHook(peer);

    private static MailImpl mail(String... recipients) throws Exception {
        return TestPeer.mail("mail-1", RAW.getBytes(StandardCharsets.US_ASCII), recipients);
    }

    @Test
    void mailForEpostRecipientsOnlyIsAnsweredOnceDurableAndNotSpooled() throws Exception {
        peer.accounts.addAll(java.util.List.of("bob@epost.test", "carol@epost.test", "dave@epost.test"));
        MailImpl mail = mail("bob@epost.test", "carol@epost.test", "dave@epost.test");

        HookResult result = hook.deliver(mail, Optional.empty());

        assertThat(result.getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(result.getSmtpDescription()).isEqualTo("2.6.0 Message received");
        assertThat(peer.sent).extracting(Notification::recipient)
            .containsExactly("bob@epost.test", "carol@epost.test", "dave@epost.test");
        assertThat(peer.sent).extracting(Notification::sender).containsOnly(TestPeer.RELAY);
        for (Notification notification : peer.sent) {
            assertThat(new String(peer.messageOf(notification), StandardCharsets.US_ASCII)).isEqualTo(DELIVERED);
        }
    }

    @Test
    void anAuthenticatedSenderHomedHereSignsAndOthersLeaveWithJamesSpool() throws Exception {
        peer.accounts.add("bob@epost.test");
        MailImpl mail = mail("bob@epost.test", "friend@example.com", "nobody@epost.test");

        HookResult result = hook.deliver(mail, Optional.of("alice@epost.test"));

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("friend@example.com"),
            new MailAddress("nobody@epost.test"));
        assertThat(peer.sent).extracting(Notification::sender).containsExactly("alice@epost.test");
    }

    @Test
    void anEpostAccountRoutedToTheLegacyServerIsLeftInTheMailForTheSpoolAndItsRelay() throws Exception {
        peer.accounts.addAll(java.util.List.of("bob@epost.test", "mover@epost.test"));
        peer.legacy.add("mover@epost.test");
        MailImpl mail = mail("bob@epost.test", "mover@epost.test");

        HookResult result = hook.deliver(mail, Optional.empty());

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("mover@epost.test"));
        assertThat(peer.sent).extracting(Notification::recipient).containsExactly("bob@epost.test");
    }

    @Test
    void recipientsWhoseNotificationFailedStayInTheMailForTheSpoolUnderTheSameName() throws Exception {
        peer.accounts.addAll(java.util.List.of("bob@epost.test", "carol@epost.test"));
        peer.failingRecipients.add("carol@epost.test");
        MailImpl mail = mail("bob@epost.test", "carol@epost.test");

        HookResult result = hook.deliver(mail, Optional.empty());

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("carol@epost.test"));
        assertThat(mail.getName()).isEqualTo("mail-1");
    }

    @Test
    void whenEveryRecipientsPeerRefusesForGoodTheClientGetsA552AndNothingIsSpooled() throws Exception {
        peer.accounts.addAll(java.util.List.of("bob@epost.test", "carol@epost.test"));
        peer.fullRecipients.addAll(java.util.List.of("bob@epost.test", "carol@epost.test"));

        HookResult result = hook.deliver(mail("bob@epost.test", "carol@epost.test"), Optional.empty());

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("552");
        assertThat(result.getSmtpDescription()).startsWith("5.2.2").contains("bob@epost.test: the recipient's mailbox is full")
            .contains("carol@epost.test");
    }

    @Test
    void aFirstContactRefusedForWantOfAPuzzleIsAnswered550() throws Exception {
        peer.accounts.add("bob@epost.test");
        peer.puzzleRefusingRecipients.add("bob@epost.test");

        HookResult result = hook.deliver(mail("bob@epost.test"), Optional.empty());

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).startsWith("5.7.1")
            .contains("bob@epost.test: the recipient accepts mail from a new sender only with a solved puzzle");
    }

    @Test
    void refusedRecipientsBesideDeliveredOnesStayInTheSpooledMailToBeBounced() throws Exception {
        peer.accounts.addAll(java.util.List.of("bob@epost.test", "carol@epost.test"));
        peer.fullRecipients.add("carol@epost.test");
        MailImpl mail = mail("bob@epost.test", "carol@epost.test");

        HookResult result = hook.deliver(mail, Optional.empty());

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("carol@epost.test"));
    }

    @Test
    void whenNothingCanBeStoredTheClientIsToldToTryAgainAndNothingIsSent() throws Exception {
        peer.accounts.add("bob@epost.test");
        peer.storageFails();
        MailImpl mail = mail("bob@epost.test");

        HookResult result = hook.deliver(mail, Optional.empty());

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(result.getSmtpDescription()).startsWith("4.3.0").contains("TIMEOUT").doesNotContain("\r", "\n");
        assertThat(peer.sent).isEmpty();
    }

    /** A message whose header section is {@code headerBytes} long (its empty line included), then a short body. */
    private static byte[] withHeaderOf(int headerBytes) {
        String start = "From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: long header\r\n";
        StringBuilder header = new StringBuilder(start);
        while (header.length() + 82 + 12 <= headerBytes) {
            header.append("X-Filler: ").append("f".repeat(70)).append("\r\n");
        }
        String last = "l".repeat(headerBytes - header.length() - 12);
        header.append("X-Last: ").append(last).append("\r\n\r\n");
        assertThat(header.length()).isEqualTo(headerBytes);
        return (header + "the body\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aHeaderSectionOverTheLimitIsRefusedForGoodBeforeAnythingIsStored() throws Exception {
        peer.accounts.add("bob@epost.test");

        HookResult result = hook.deliver(TestPeer.mail("mail-long-header",
            withHeaderOf(HeaderSectionMeter.MAX_HEADER_BYTES + 1), "bob@epost.test"), Optional.empty());

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("552");
        assertThat(result.getSmtpDescription()).startsWith("5.3.4").contains("header section is over 262144 bytes");
        assertThat(peer.sent).isEmpty();
        assertThat(peer.blocks.insertedKeys()).isEmpty();
    }

    @Test
    void aHeaderSectionOfExactlyTheLimitIsDelivered() throws Exception {
        peer.accounts.add("bob@epost.test");
        byte[] message = withHeaderOf(HeaderSectionMeter.MAX_HEADER_BYTES);

        HookResult result = hook.deliver(TestPeer.mail("mail-header-at-limit", message, "bob@epost.test"),
            Optional.empty());

        assertThat(result.getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(peer.sent).singleElement().satisfies(n -> assertThat(peer.messageOf(n)).isEqualTo(message));
    }

    @Test
    void aLoweredHeaderLimitIsTheOneSmtpFollows() throws Exception {
        peer.accounts.add("bob@epost.test");
        peer.maxHeaderBytes = 100 * 1024;

        HookResult over = hook.deliver(TestPeer.mail("mail-over-lowered", withHeaderOf(100 * 1024 + 1), "bob@epost.test"),
            Optional.empty());
        assertThat(over.getSmtpRetCode()).isEqualTo("552");
        assertThat(over.getSmtpDescription()).startsWith("5.3.4").contains("header section is over 102400 bytes");
        assertThat(peer.sent).isEmpty();

        byte[] message = withHeaderOf(100 * 1024);
        HookResult at = hook.deliver(TestPeer.mail("mail-at-lowered", message, "bob@epost.test"), Optional.empty());
        assertThat(at.getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(peer.sent).singleElement().satisfies(n -> assertThat(peer.messageOf(n)).isEqualTo(message));
    }

    @Test
    void withoutEpostRecipientsOrBeforeEpostRunsJamesHandlesTheMail() throws Exception {
        assertThat(hook.deliver(mail("friend@example.com"), Optional.empty())).isEqualTo(HookResult.DECLINED);
        peer.accounts.add("bob@epost.test");
        peer.running = false;
        assertThat(hook.deliver(mail("bob@epost.test"), Optional.empty())).isEqualTo(HookResult.DECLINED);
        assertThat(peer.sent).isEmpty();
    }

    @Test
    void aLargeMessageIsStoredFromAnEncryptedScratchFileByteForByteAndTheFileIsGoneAfterwards() throws Exception {
        peer.accounts.add("bob@epost.test");
        StringBuilder attachment = new StringBuilder();
        java.util.Random random = new java.util.Random(5);
        byte[] raw = new byte[57];
        while (attachment.length() < 3_000_000) {
            random.nextBytes(raw);
            attachment.append(java.util.Base64.getEncoder().encodeToString(raw)).append("\r\n");
        }
        String header = "From: alice@epost.test\r\nTo: bob@epost.test\r\nBcc: dave@epost.test\r\nSubject: large\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
        String body = "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + attachment
            + "--b--\r\n";
        byte[] message = (header + body).getBytes(StandardCharsets.US_ASCII);
        assertThat((long) message.length).isGreaterThan(MailBytes.IN_MEMORY_LIMIT);
        java.util.Set<String> before = scratchFiles();

        HookResult result = hook.deliver(TestPeer.mail("mail-large", message, "bob@epost.test"), Optional.empty());

        assertThat(result.getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(peer.sent).singleElement().satisfies(notification -> {
            assertThat(notification.subject()).isEqualTo("large");
            assertThat(new String(peer.messageOf(notification), StandardCharsets.US_ASCII))
                .isEqualTo(header.replace("Bcc: dave@epost.test\r\n", "") + body);
        });
        assertThat(scratchFiles()).as("the scratch file is deleted once the mail is answered").isEqualTo(before);
    }

    private static java.util.Set<String> scratchFiles() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(MailBytes.scratchDirectory())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("epost-store-"))
                .collect(java.util.stream.Collectors.toSet());
        }
    }
}
