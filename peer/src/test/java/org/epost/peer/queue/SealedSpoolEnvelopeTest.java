package org.epost.peer.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;

import reactor.core.publisher.Flux;

/**
 * The envelope of spooled mail on the peer's real broker and disk: sender, recipients and attributes are in no file
 * of the spool in the clear, and the mail comes out of a restarted broker with all of them.
 */
class SealedSpoolEnvelopeTest {
    @TempDir
    Path workingDirectory;

    /** With and without {@code post.domains}: a peer without a vault secret seals its spool too. */
    @ParameterizedTest(name = "with post.domains: {0}")
    @ValueSource(booleans = {true, false})
    void senderRecipientsAndAttributesAreSealedOnDiskAndRestoredOnDequeue(boolean withDomains) throws Exception {
        String recipient = "envelope-marker-rcpt-7f3a@example.org";
        String sender = "envelope-marker-sender-91c2@epost.test";
        String attribute = "envelope-marker-attribute-55e0";
        Mail mail = MailImpl.builder().name("sealed-envelope-1").sender(new MailAddress(sender))
            .addRecipient(new MailAddress(recipient)).addRecipient(new MailAddress("bob@epost.test"))
            .addAttribute(new Attribute(AttributeName.of("org.epost.test"), AttributeValue.of(attribute)))
            .remoteHost("client.example.net").remoteAddr("192.0.2.7").errorMessage("first try failed")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("hello").setText("body").build()).build();

        Injector first = SpoolInjector.create(workingDirectory.toString(), withDomains);
        spool(first).enQueue(mail);
        first.getInstance(PersistentMailQueueFactory.class).destroy();
        first.getInstance(LocalBroker.class).stop();

        for (String marker : List.of(recipient, sender, attribute, "client.example.net")) {
            assertThat(filesContaining(workingDirectory, marker)).as("files holding " + marker + " in the clear")
                .isEmpty();
        }
        assertThat(filesContaining(workingDirectory, "sealed-envelope-1")).as("the name stays in the clear")
            .isNotEmpty();

        Injector second = SpoolInjector.create(workingDirectory.toString(), withDomains);
        MailQueue.MailQueueItem item = Flux.from(spool(second).deQueue()).next().block(Duration.ofMinutes(2));
        assertThat(item).isNotNull();
        Mail restored = item.getMail();
        assertThat(restored.getName()).isEqualTo("sealed-envelope-1");
        assertThat(restored.getMaybeSender().asString()).isEqualTo(sender);
        assertThat(restored.getRecipients()).containsExactlyInAnyOrder(new MailAddress(recipient),
            new MailAddress("bob@epost.test"));
        assertThat(restored.getAttribute(AttributeName.of("org.epost.test")).map(Attribute::getValue))
            .contains(AttributeValue.of(attribute));
        assertThat(restored.getRemoteHost()).isEqualTo("client.example.net");
        assertThat(restored.getErrorMessage()).isEqualTo("first try failed");
        item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        second.getInstance(PersistentMailQueueFactory.class).destroy();
        second.getInstance(LocalBroker.class).stop();
    }

    @Test
    void mailSpooledBeforePostDomainsWereConfiguredStillOpensAfterwards() throws Exception {
        Injector relay = SpoolInjector.withoutDomains(workingDirectory.toString());
        spool(relay).enQueue(MailImpl.builder().name("before-domains").sender(new MailAddress("a@example.org"))
            .addRecipient(new MailAddress("b@example.org"))
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("s").setText("kept").build()).build());
        relay.getInstance(PersistentMailQueueFactory.class).destroy();
        relay.getInstance(LocalBroker.class).stop();

        Injector peer = SpoolInjector.create(workingDirectory.toString());
        MailQueue.MailQueueItem item = Flux.from(spool(peer).deQueue()).next().block(Duration.ofMinutes(2));
        assertThat(item).isNotNull();
        assertThat(item.getMail().getRecipients()).containsExactly(new MailAddress("b@example.org"));
        assertThat(item.getMail().getMessage().getContent()).isEqualTo("kept");
        item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        peer.getInstance(PersistentMailQueueFactory.class).destroy();
        peer.getInstance(LocalBroker.class).stop();
    }

    private static MailQueue spool(Injector injector) {
        return injector.getInstance(Key.get(new TypeLiteral<MailQueueFactory<?>>() { }))
            .createQueue(MailQueueFactory.SPOOL);
    }

    private static List<Path> filesContaining(Path directory, String marker) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(marker);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
