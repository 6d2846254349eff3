package org.epost.interop.migration;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.mail.MessagingException;

import org.apache.james.mailbox.exception.MailboxException;

/**
 * Copies one legacy folder into its ePOST folder in UID order: every message the progress log does not list as done,
 * each logged {@code PENDING} before and {@code DONE} after its append. Where the log cannot be trusted (the folder's
 * UIDVALIDITY changed, or a message was left {@code PENDING} by a crash) a message whose {@link MessageKeys key} is
 * already in the ePOST folder is not copied again. A message the legacy server does not serve is skipped with the
 * reason (and tried again by the next run), and so is one ePOST refuses to store; three refusals in a row stop the
 * migration (ePOST itself is failing), which a new run resumes.
 */
final class FolderCopier {
    /** ePOST refusing this many messages in a row is ePOST failing, not the messages. */
    private static final int MAX_REFUSED_IN_A_ROW = 3;

    private final ImapSource source;
    private final EpostDestination destination;
    private final ProgressLog log;
    private final MigrationProgress progress;
    private final RateLimiter limiter;
    private final boolean dryRun;
    private int refusedInARow;
    /** Skipped in this run (folder NUL uid): the delta pass does not try them again. */
    private final Set<String> skippedInRun = new HashSet<>();

    FolderCopier(ImapSource source, EpostDestination destination, ProgressLog log, MigrationProgress progress,
                 RateLimiter limiter, boolean dryRun) {
        this.source = source;
        this.destination = destination;
        this.log = log;
        this.progress = progress;
        this.limiter = limiter;
        this.dryRun = dryRun;
    }

    void copy(SourceFolder folder, String target) throws MessagingException, MailboxException, IOException,
            InterruptedException, MigrationException {
        if (!dryRun) {
            destination.ensure(target, folder.subscribed());
        }
        if (!folder.selectable()) {
            return;
        }
        long uidValidity = source.open(folder.name());
        List<SourceMessage> messages = source.messages();
        progress.seen(messages.size());
        ProgressLog.FolderProgress known = log.folder(folder.name());
        // A folder no run has logged yet goes to an empty ePOST folder without matching; one that already has mail
        // (copied by hand, or the progress log was lost) is matched message by message.
        boolean uidsTrusted = known.uidValidity() == uidValidity
            || known.isEmpty() && (dryRun ? !destination.exists(target) : destination.count(target) == 0);
        Set<String> present = null;
        long already = 0;
        for (SourceMessage message : messages) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("migration cancelled");
            }
            if (uidsTrusted && known.isDone(message.uid())) {
                already++;
                continue;
            }
            String skipKey = folder.name() + '\u0000' + message.uid();
            if (skippedInRun.contains(skipKey)) {
                continue;
            }
            byte[] content;
            try {
                if (!uidsTrusted || known.isPending(message.uid())) {
                    if (present == null) {
                        present = destination.keys(target);
                    }
                    String key = MessageKeys.of(source.messageId(message.uid()), message.internalDate(), message.size());
                    if (present.contains(key)) {
                        if (!dryRun) {
                            log.done(folder.name(), uidValidity, message.uid());
                        }
                        already++;
                        continue;
                    }
                }
                if (dryRun) {
                    progress.copied(message.size());
                    continue;
                }
                limiter.acquire();
                content = source.content(message.uid());
            } catch (IOException | MessagingException e) {
                skippedInRun.add(skipKey);
                progress.skipped(folder.name(), message.uid(), "the legacy server did not serve it: " + e.getMessage());
                if (!source.isConnected()) {
                    source.reconnect();
                }
                continue;
            }
            log.pending(folder.name(), uidValidity, message.uid());
            try {
                destination.append(target, content, message.internalDate(), message.flags());
                refusedInARow = 0;
            } catch (MailboxException e) {
                // One message ePOST cannot take must not stop the whole migration at the same place on every run;
                // several in a row mean ePOST itself is failing, and the run stops (a new one resumes).
                if (++refusedInARow >= MAX_REFUSED_IN_A_ROW) {
                    throw e;
                }
                skippedInRun.add(skipKey);
                progress.skipped(folder.name(), message.uid(), "ePOST could not store it: " + e.getMessage());
                continue;
            }
            log.done(folder.name(), uidValidity, message.uid());
            progress.copied(content.length);
        }
        progress.alreadyCopied(already);
    }
}
