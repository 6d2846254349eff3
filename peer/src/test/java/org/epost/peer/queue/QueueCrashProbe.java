package org.epost.peer.queue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;

import com.google.inject.Key;
import com.google.inject.TypeLiteral;

import reactor.core.publisher.Flux;

/**
 * A child process for {@link PersistentMailQueueCrashTest}: the spool queue exactly as an ePOST peer wires it
 * ({@link PersistentMailQueueModule}), on a working directory given as argument.
 * <ul>
 *   <li>{@code enqueue DIR}: enqueues mails forever, printing {@code ACK name} once each enqueue returned — the
 *   point at which James's SMTP server answers 250. The test kills it with SIGKILL.</li>
 *   <li>{@code drain DIR name...}: dequeues until every named mail came out, printing {@code GOT name}.</li>
 * </ul>
 */
public final class QueueCrashProbe {
    private QueueCrashProbe() {
    }

    public static void main(String[] args) throws Exception {
        MailQueue spool = spool(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args[0].equals("enqueue")) {
            for (int i = 0; i < 100_000; i++) {
                String name = "mail-" + i;
                spool.enQueue(MailImpl.builder()
                    .name(name)
                    .sender(new MailAddress("alice@epost.test"))
                    .addRecipient(new MailAddress("bob@epost.test"))
                    .mimeMessage(MimeMessageBuilder.mimeMessageBuilder()
                        .setSubject("crash probe " + i)
                        .setText("body of " + name + " " + "x".repeat(2000)))
                    .build());
                out.println("ACK " + name);
            }
        } else {
            Set<String> expected = new HashSet<>(List.of(args).subList(2, args.length));
            Flux.from(spool.deQueue())
                .doOnNext(item -> {
                    String name = item.getMail().getName();
                    out.println("GOT " + name);
                    expected.remove(name);
                    acknowledge(item);
                })
                .takeUntil(item -> expected.isEmpty())
                .timeout(Duration.ofSeconds(120))
                .blockLast();
            out.println("DRAINED");
        }
        System.exit(0);
    }

    private static void acknowledge(MailQueue.MailQueueItem item) {
        try {
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (MailQueue.MailQueueException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MailQueue spool(String workingDirectory) {
        MailQueueFactory<?> factory = SpoolInjector.create(workingDirectory)
            .getInstance(Key.get(new TypeLiteral<MailQueueFactory<?>>() { }));
        return factory.createQueue(MailQueueFactory.SPOOL);
    }
}
