package org.epost.interop.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.mailbox.exception.MailboxException;
import org.epost.interop.routes.Route;
import org.epost.interop.routes.RouteStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's migration, start to end: copy every folder; move the user's route to ePOST (waiting for relays to the
 * legacy server in flight, see {@link RouteStore}); copy again what reached the legacy server meanwhile (the delta
 * pass); count both sides per folder. A dry run only reads.
 */
final class Migration {
    private static final Logger LOG = LoggerFactory.getLogger(Migration.class);

    private final MigrationRequest request;
    private final EpostDestination destination;
    private final RouteStore routes;
    private final Path progressFile;
    private final MigrationProgress progress;

    Migration(MigrationRequest request, EpostDestination destination, RouteStore routes, Path progressFile,
              MigrationProgress progress) {
        this.request = request;
        this.destination = destination;
        this.routes = routes;
        this.progressFile = progressFile;
        this.progress = progress;
    }

    void run() throws MigrationException, MessagingException, MailboxException, IOException, InterruptedException {
        try (ImapSource source = ImapSource.connect(request.source());
             ProgressLog log = ProgressLog.open(progressFile)) {
            FolderCopier copier = new FolderCopier(source, destination, log, progress,
                new RateLimiter(request.messagesPerSecond()), request.dryRun());
            pass(MigrationProgress.Phase.COPYING, source, copier);
            if (!request.dryRun() && request.switchRoute()) {
                progress.phase(MigrationProgress.Phase.SWITCHING_ROUTE);
                routes.setUser(request.user(), Optional.of(Route.epost()));
                progress.routeSwitched();
                LOG.info("Mail for {} now goes to ePOST; copying what reached the legacy server meanwhile", request.user());
                pass(MigrationProgress.Phase.DELTA, source, copier);
            }
            progress.phase(MigrationProgress.Phase.COUNTING);
            progress.counts(counts(source));
            progress.phase(MigrationProgress.Phase.DONE);
        }
    }

    private void pass(MigrationProgress.Phase phase, ImapSource source, FolderCopier copier)
            throws MessagingException, MailboxException, IOException, InterruptedException, MigrationException {
        List<SourceFolder> folders = source.folders();
        progress.pass(phase, folders.size());
        for (SourceFolder folder : folders) {
            progress.folder(folder.name());
            copier.copy(folder, FolderMapping.destination(folder));
            progress.folderDone();
        }
    }

    private List<MigrationDetails.FolderCount> counts(ImapSource source) throws MessagingException, MailboxException {
        List<MigrationDetails.FolderCount> counts = new ArrayList<>();
        for (SourceFolder folder : source.folders()) {
            if (!folder.selectable()) {
                continue;
            }
            source.open(folder.name());
            String target = FolderMapping.destination(folder);
            counts.add(new MigrationDetails.FolderCount(folder.name(), target, source.count(), destination.count(target)));
        }
        return counts;
    }
}
