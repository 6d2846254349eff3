package org.epost.post.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.sim.SimScheduler;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationException;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.store.PartStore;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

/** The POST sender alone: a recorded notification sender, a block service in memory, virtual time. */
class PostSenderTest {
    private static final byte[] MESSAGE = ("From: alice@epost.test\r\nSubject: =?UTF-8?B?w6l0w6k=?=\r\n\r\nbody\r\n")
        .getBytes(StandardCharsets.US_ASCII);

    private final SimScheduler scheduler = new SimScheduler();
    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final MimeMessageStore messages = new MimeMessageStore(new PartStore(blocks,
        new ConvergentCipher(Optional.empty())), MimeMessageStore.Config.defaults());
    private final List<Notification> sent = new ArrayList<>();
    private final Map<String, CompletableFuture<Outcome>> answers = new ConcurrentHashMap<>();
    /** The return path each notification was sent with, in order. */
    private final List<Optional<String>> returnPaths = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RecipientDirectory directory = new RecipientDirectory(d -> true,
        address -> CompletableFuture.failedFuture(new IllegalStateException("not asked here")), scheduler, 0, 0);

    private PostSender sender(long timeoutMillis) {
        return new PostSender(messages, (notification, returnPath) -> {
            sent.add(notification);
            returnPaths.add(returnPath);
            return answers.computeIfAbsent(notification.recipient(), r -> new CompletableFuture<>());
        }, directory, "alice@epost.test"::equals, () -> CompletableFuture.completedFuture("relay-1@peers.epost.invalid"),
            scheduler, new PostSender.Settings(86_400_000L, timeoutMillis));
    }

    @Test
    void eachRecipientGetsOneNotificationNamingTheStoredMessageWithDerivedIds() {
        answers.put("bob@epost.test", CompletableFuture.completedFuture(Outcome.DELIVERED));
        answers.put("carol@epost.test", CompletableFuture.completedFuture(Outcome.DELEGATED));

        DeliveryReport report = sender(60_000).deliver(new OutgoingMessage(MESSAGE, Optional.of("Alice@epost.test"),
            List.of("bob@epost.test", "Carol@epost.test", "bob@epost.test"), "mail-1")).join();

        assertThat(report.handled()).containsEntry("bob@epost.test", Outcome.DELIVERED)
            .containsEntry("carol@epost.test", Outcome.DELEGATED);
        assertThat(sent).hasSize(2);
        assertThat(sent).extracting(Notification::sender).containsOnly("alice@epost.test");
        assertThat(sent).extracting(Notification::subject).containsOnly("été");
        assertThat(sent).extracting(Notification::totalSize).containsOnly((long) MESSAGE.length);
        MessageReference reference = MessageReference.decode(sent.get(0).parts().get(0));
        assertThat(messages.fetch(reference).join()).isEqualTo(MESSAGE);
        assertThat(sent.get(1).parts().get(0)).isEqualTo(sent.get(0).parts().get(0));
        byte[] digest = org.epost.post.crypto.Hashes.sha256(MESSAGE);
        assertThat(sent.get(0).id()).isEqualTo(NotificationIds.derive(digest, "bob@epost.test", "mail-1"));
        assertThat(NotificationIds.derive(digest, "bob@epost.test", "mail-2")).isNotEqualTo(sent.get(0).id());
        assertThat(NotificationIds.derive(digest, "carol@epost.test", "mail-1")).isNotEqualTo(sent.get(0).id());
    }

    @Test
    void anUnauthenticatedSenderIsSignedForByTheRelay() {
        answers.put("bob@epost.test", CompletableFuture.completedFuture(Outcome.DELIVERED));

        sender(60_000).deliver(new OutgoingMessage(MESSAGE, Optional.empty(), List.of("bob@epost.test"), "m",
            Optional.of("someone@outside.test"))).join();

        assertThat(sent).extracting(Notification::sender).containsExactly("relay-1@peers.epost.invalid");
        // a late refusal is bounced to the envelope sender, not to the relay account that signed
        assertThat(returnPaths).containsExactly(Optional.of("someone@outside.test"));
    }

    @Test
    void aRecipientWithoutAnswerInTimeOrWithAFailureIsReportedFailedAndTheOthersHandled() {
        answers.put("bob@epost.test", CompletableFuture.completedFuture(Outcome.DELIVERED));
        answers.put("dave@epost.test", CompletableFuture.failedFuture(new NotificationException("no valid certificate")));

        CompletableFuture<DeliveryReport> delivery = sender(30_000).deliver(new OutgoingMessage(MESSAGE,
            Optional.empty(), List.of("bob@epost.test", "carol@epost.test", "dave@epost.test"), "m"));
        scheduler.runFor(29_999);
        assertThat(delivery).isNotDone();
        scheduler.runFor(1);
        DeliveryReport report = delivery.join();

        assertThat(report.handledRecipients()).containsExactly("bob@epost.test");
        assertThat(report.failed()).containsOnlyKeys("carol@epost.test", "dave@epost.test");
        assertThat(report.failed().get("carol@epost.test")).contains("within 30000 ms");
        assertThat(report.failed().get("dave@epost.test")).contains("no valid certificate");
        assertThat(report.notificationsSent()).isTrue();
    }

    @Test
    void aMessageThatCannotBeStoredIsSentToNobody() {
        blocks.answerInserts(block -> InMemoryBlockService.result(InsertResult.Status.TIMEOUT,
            "only 0 of 3 holders acknowledged"));

        DeliveryReport report = sender(60_000).deliver(new OutgoingMessage(MESSAGE, Optional.empty(),
            List.of("bob@epost.test"), "m")).join();

        assertThat(sent).isEmpty();
        assertThat(report.noneHandled()).isTrue();
        assertThat(report.notificationsSent()).isFalse();
        assertThat(report.failed().get("bob@epost.test")).contains("not stored").contains("TIMEOUT");
    }
}
