package org.epost.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.epost.post.notify.Notification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport-processor path: matcher and mailet, with James's in-memory queue as the spool. */
class EpostDeliveryTest {
    private static final byte[] RAW = ("From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: fwd\r\n\r\nforwarded\r\n")
        .getBytes(StandardCharsets.US_ASCII);

    private final TestPeer peer = new TestPeer();

    @org.junit.jupiter.api.AfterEach
    void disposeMails() {
        TestPeer.disposeMails();
    }
    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
    private final EpostDelivery mailet = new EpostDelivery(peer, queues);
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private ManageableMailQueue spool;

    @BeforeEach
    void init() throws Exception {
        mailet.init(FakeMailetConfig.builder().mailetName("EpostDelivery").mailetContext(context)
            .setProperty("retryDelay", "30s").setProperty("maxRetries", "3").build());
        spool = queues.getQueue(MailQueueFactory.SPOOL).orElseThrow();
        peer.accounts.addAll(List.of("bob@epost.test", "carol@epost.test"));
    }

    private List<Mail> spooled() throws Exception {
        List<Mail> mails = new ArrayList<>();
        spool.browse().forEachRemaining(view -> mails.add(view.getMail()));
        return mails;
    }

    @Test
    void theMatcherPicksEpostAccountsAndAddressesTheRingCannotTellAbout() throws Exception {
        RecipientIsEpost matcher = new RecipientIsEpost(peer);
        matcher.init(FakeMatcherConfig.builder().matcherName("RecipientIsEpost").mailetContext(FakeMailContext.defaultContext())
            .build());
        MailImpl mail = TestPeer.mail("m", RAW, "bob@epost.test", "nobody@epost.test", "friend@example.com");

        assertThat(matcher.match(mail)).containsExactly(new MailAddress("bob@epost.test"));
        peer.ringAnswers = false;
        assertThat(matcher.match(mail)).containsExactly(new MailAddress("bob@epost.test"),
            new MailAddress("nobody@epost.test"));
    }

    @Test
    void deliveredRecipientsEndTheMailsProcessing() throws Exception {
        MailImpl mail = TestPeer.mail("mail-2", RAW, "bob@epost.test", "carol@epost.test");

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(peer.sent).extracting(Notification::recipient).containsExactly("bob@epost.test", "carol@epost.test");
        assertThat(peer.messageOf(peer.sent.get(0))).isEqualTo(RAW);
        assertThat(spooled()).isEmpty();
    }

    @Test
    void failedRecipientsGoBackToTheSpoolWithAGrowingDelayUnderTheSameName() throws Exception {
        peer.failingRecipients.add("carol@epost.test");
        MailImpl mail = TestPeer.mail("mail-3", RAW, "bob@epost.test", "carol@epost.test");

        ZonedDateTime before = ZonedDateTime.now();
        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        List<Mail> requeued = spooled();
        assertThat(requeued).hasSize(1);
        assertThat(requeued.get(0).getName()).isEqualTo("mail-3");
        assertThat(requeued.get(0).getRecipients()).containsExactly(new MailAddress("carol@epost.test"));
        assertThat(requeued.get(0).getState()).isEqualTo("transport");
        assertThat(requeued.get(0).getAttribute(EpostDelivery.ATTEMPTS)).contains(
            new Attribute(EpostDelivery.ATTEMPTS, AttributeValue.of(1)));
        List<ZonedDateTime> due = new ArrayList<>();
        spool.browse().forEachRemaining(view -> view.getNextDelivery().ifPresent(due::add));
        assertThat(due).singleElement().satisfies(at -> assertThat(at).isAfter(before.plusSeconds(29)));
        assertThat(mailet.delayFor(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(mailet.delayFor(30)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aHeaderSectionOverTheLimitIsBouncedForEveryRecipientWithNothingStored() throws Exception {
        byte[] raw = ("From: alice@epost.test\r\nSubject: long\r\nX-Long: " + "h".repeat(300 * 1024)
            + "\r\n\r\nbody\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MailImpl mail = TestPeer.mail("mail-long-header", raw, "bob@epost.test", "carol@epost.test");

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).singleElement().satisfies(bounce -> {
            assertThat(bounce.getState()).isEqualTo("bounces");
            assertThat(bounce.getRecipients()).containsExactly(new MailAddress("bob@epost.test"),
                new MailAddress("carol@epost.test"));
            assertThat(bounce.getAttributes().get(EpostDelivery.DELIVERY_ERROR))
                .isEqualTo(new Attribute(EpostDelivery.DELIVERY_ERROR, AttributeValue.of("5.3.4")));
        });
        assertThat(peer.sent).isEmpty();
        assertThat(peer.blocks.insertedKeys()).isEmpty();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void aLoweredHeaderLimitBouncesWhatTheDefaultWouldTake() throws Exception {
        peer.maxHeaderBytes = 64 * 1024;
        byte[] raw = ("From: alice@epost.test\r\nSubject: long\r\nX-Long: " + "h".repeat(100 * 1024)
            + "\r\n\r\nbody\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MailImpl mail = TestPeer.mail("mail-lowered-limit", raw, "bob@epost.test");

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).singleElement().satisfies(bounce ->
            assertThat(bounce.getAttributes().get(EpostDelivery.DELIVERY_ERROR))
                .isEqualTo(new Attribute(EpostDelivery.DELIVERY_ERROR, AttributeValue.of("5.3.4"))));
        assertThat(peer.sent).isEmpty();
    }

    @Test
    void recipientsRefusedForGoodAreBouncedNotRetried() throws Exception {
        peer.fullRecipients.add("carol@epost.test");
        peer.failingRecipients.add("dave@epost.test");
        peer.accounts.add("dave@epost.test");
        MailImpl mail = TestPeer.mail("mail-6", RAW, "bob@epost.test", "carol@epost.test", "dave@epost.test");

        mailet.service(mail);

        assertThat(context.getSentMails()).singleElement().satisfies(bounce -> {
            assertThat(bounce.getState()).isEqualTo("bounces");
            assertThat(bounce.getRecipients()).containsExactly(new MailAddress("carol@epost.test"));
            assertThat(bounce.getSender()).isEqualTo(new MailAddress("someone@elsewhere.example"));
            assertThat(bounce.getAttributes().get(EpostDelivery.DELIVERY_ERROR))
                .isEqualTo(new Attribute(EpostDelivery.DELIVERY_ERROR, AttributeValue.of("5.2.2")));
        });
        // only the recipient that failed for now is retried
        assertThat(spooled()).singleElement().satisfies(retry ->
            assertThat(retry.getRecipients()).containsExactly(new MailAddress("dave@epost.test")));
    }

    @Test
    void beforeEpostRunsEverythingIsRetriedAndAfterTheLastRetryItGoesToTheFailureProcessor() throws Exception {
        peer.running = false;
        MailImpl waiting = TestPeer.mail("mail-4", RAW, "bob@epost.test");
        mailet.service(waiting);
        assertThat(spooled()).extracting(Mail::getName).containsExactly("mail-4");

        peer.running = true;
        peer.failingRecipients.add("bob@epost.test");
        MailImpl tooOften = TestPeer.mail("mail-5", RAW, "bob@epost.test");
        tooOften.setAttribute(new Attribute(EpostDelivery.ATTEMPTS, AttributeValue.of(3)));
        mailet.service(tooOften);

        assertThat(tooOften.getState()).isEqualTo(Mail.ERROR);
        assertThat(tooOften.getErrorMessage()).contains("failed 4 times").contains("neither acknowledged");
        assertThat(spooled()).extracting(Mail::getName).containsExactly("mail-4");
    }
}
