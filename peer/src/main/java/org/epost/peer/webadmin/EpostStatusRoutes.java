package org.epost.peer.webadmin;

import java.time.Instant;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.user.api.UsersRepository;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.epost.overlay.net.LinkFigures;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.RingStatus;
import org.epost.peer.accounts.PendingUsers;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.EpostVersion;
import org.epost.durability.glacier.GlacierFigures;
import org.epost.peer.glacier.GlacierApplication;
import org.epost.peer.imap.framing.LiteralScratch;
import org.epost.peer.lease.LeaseService;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.peer.overlay.OverlayService;
import org.epost.spam.policy.SpamCounters;

import spark.Service;

/**
 * {@code GET /epost/status}: shows an admin that the ePOST plugin is loaded, which peer this is, where its data is,
 * how the refresh of its blocks' leases goes, what the spam defences did since start, and (with Glacier) the
 * fragments it holds, audits and regenerations. On a peer without the user CA key, the users waiting for their
 * certificates ({@link PendingUsers}; null elsewhere), and how it shared its work among the nodes asking for it
 * ({@link SenderFairness}); the disk IMAP literals take in scratch files against their budget
 * ({@code imapLiteralScratch}: capacity, bytes and files held now, literals refused for want of room since start).
 */
public class EpostStatusRoutes implements Routes {
    public static final String BASE_PATH = "/epost";
    public static final String STATUS_PATH = BASE_PATH + "/status";

    /** The JSON body of /epost/status. */
    public record Status(String product, String version, String peerName, String dataDirectory, int localUsers,
                         String nodeId, long ringSize, Replication replication, LeaseService.Status leases,
                         SpamCounters.Snapshot spam, GlacierFigures glacier, LinkFigures links,
                         PendingUsers.Summary pendingUsers, SenderFairness fairness,
                         LiteralScratch.Figures imapLiteralScratch) {
    }

    /** k, and whether inserts may succeed on fewer replicas when fewer nodes are live (past.degraded-inserts). */
    public record Replication(int replicas, boolean degradedInserts) {
    }

    private final EpostConfiguration configuration;
    private final UsersRepository usersRepository;
    private final OverlayService overlay;
    private final LeaseService leases;
    private final SpamCounters spam;
    private final JsonTransformer jsonTransformer;
    private final GlacierApplication glacier;
    private final PendingUsers pendingUsers;
    private final PostReadiness post;
    private final LiteralScratch imapLiteralScratch;

    @Inject
    public EpostStatusRoutes(EpostConfiguration configuration, UsersRepository usersRepository, OverlayService overlay,
                             LeaseService leases, SpamCounters spam, JsonTransformer jsonTransformer,
                             GlacierApplication glacier, PendingUsers pendingUsers, PostReadiness post,
                             LiteralScratch imapLiteralScratch) {
        this.imapLiteralScratch = imapLiteralScratch;
        this.spam = spam;
        this.post = post;
        this.pendingUsers = pendingUsers;
        this.glacier = glacier;
        this.configuration = configuration;
        this.usersRepository = usersRepository;
        this.overlay = overlay;
        this.leases = leases;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(STATUS_PATH, (request, response) -> {
            response.type("application/json");
            return status();
        }, jsonTransformer);
    }

    Status status() throws Exception {
        Optional<RingStatus> ring = overlay.status();
        return new Status("ePOST for Apache James", EpostVersion.current(), configuration.peerName(),
            configuration.dataDirectory().toString(), usersRepository.countUsers(),
            ring.map(r -> r.self().id().toHex()).orElse(null), ring.map(RingStatus::ringSizeEstimate).orElse(0L),
            overlay.pastConfig().map(past -> new Replication(past.replicas(), past.degradedInserts())).orElse(null),
            leases.status(), spam.snapshot(), glacier.figures().orElse(null),
            overlay.node().map(node -> node.transport().linkFigures()).orElse(null),
            pendingUsers.summary(Instant.now()).orElse(null), fairness(), imapLiteralScratch.figures());
    }

    private SenderFairness fairness() throws Exception {
        Optional<OverlayNode> node = overlay.node();
        if (node.isEmpty()) {
            return null;
        }
        return SenderFairness.of(node.get(), post.ifRunning().map(PostServices::notifications).orElse(null),
            configuration.fairness());
    }
}
