package org.epost.interop.migration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.SubscriptionManager;
import org.epost.interop.routes.RouteStore;

/**
 * Prepares migration tasks on this peer: one at a time per user, with the legacy login checked before the task is
 * accepted (so wrong credentials or an unreachable host are an answer to the request, not a failed task). Progress
 * logs live in {@code directory/<user in hex>/progress.log}.
 */
public final class Migrations {
    private final MailboxManager mailboxes;
    private final SubscriptionManager subscriptions;
    private final RouteStore routes;
    private final Path directory;
    private final Clock clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public Migrations(MailboxManager mailboxes, SubscriptionManager subscriptions, RouteStore routes, Path directory,
                      Clock clock) {
        this.mailboxes = mailboxes;
        this.subscriptions = subscriptions;
        this.routes = routes;
        this.directory = directory;
        this.clock = clock;
    }

    public MigrationTask prepare(MigrationRequest request) throws MigrationException {
        String user = request.user().toLowerCase(Locale.ROOT);
        if (!running.add(user)) {
            throw new MigrationException("a migration of " + user + " is already running",
                MigrationException.Reason.ALREADY_RUNNING, null);
        }
        try {
            ImapSource.connect(request.source()).close();
        } catch (MigrationException e) {
            running.remove(user);
            throw e;
        }
        MigrationProgress progress = new MigrationProgress(user, request.source().toString(), request.dryRun(), clock);
        Migration migration = new Migration(request, new EpostDestination(mailboxes, subscriptions, user), routes,
            progressFile(user), progress);
        return new MigrationTask(migration, progress, () -> running.remove(user));
    }

    Path progressFile(String user) {
        return directory.resolve(HexFormat.of().formatHex(user.getBytes(StandardCharsets.UTF_8))).resolve("progress.log");
    }
}
