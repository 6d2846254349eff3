package org.epost.peer.queue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.configuration.Configuration.ConfigurationPath;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.james.utils.PropertiesProvider;

import com.google.inject.Guice;
import com.google.inject.Injector;
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
        JamesDirectoriesProvider directories = new JamesServerResourceLoader(workingDirectory);
        FileSystem fileSystem = new FileSystemImpl(directories);
        Injector injector = Guice.createInjector(new PersistentMailQueueModule(), binder -> {
            binder.bind(JamesDirectoriesProvider.class).toInstance(directories);
            binder.bind(FileSystem.class).toInstance(fileSystem);
            binder.bind(PropertiesProvider.class).toInstance(new PropertiesProvider(fileSystem,
                new ConfigurationPath(FileSystem.FILE_PROTOCOL_AND_CONF)));
            binder.bind(MailQueueItemDecoratorFactory.class).to(RawMailQueueItemDecoratorFactory.class);
            binder.bind(MetricFactory.class).to(RecordingMetricFactory.class);
            binder.bind(GaugeRegistry.class).to(NoopGaugeRegistry.class);
        });
        MailQueueFactory<?> factory = injector.getInstance(Key.get(new TypeLiteral<MailQueueFactory<?>>() { }));
        return factory.createQueue(MailQueueFactory.SPOOL);
    }
}
