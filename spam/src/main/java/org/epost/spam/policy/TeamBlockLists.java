package org.epost.spam.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.blocks.BlockService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Team lists: block lists several users edit (see {@link TeamRoster}). A follower's home peer looks up the owner's
 * roster, then each named editor's {@link TeamContribution}, and enforces their merge; like {@link
 * PublishedBlockLists} it keeps what it last accepted, looks a team up again at most every {@code refreshMillis} in
 * the background, so {@link #get} never waits on the ring, and extends the lease of each block it finds.
 *
 * <p>A roster or contribution is accepted only when the certificate of its signer (the owner; the editor) certifies
 * the key that signed it, its payload names the same team (and editor), it is at most {@code maxBytes} long, and it is
 * newer than the one kept; otherwise it is rejected and logged and the one kept still counts. A contribution counts
 * only while the owner's newest roster names its editor: an editor the owner removes stops counting at the next
 * refresh, and no one else's block is even looked up. At most {@value #MAX_CACHED} teams are kept.
 */
public final class TeamBlockLists {
    public static final int MAX_CACHED = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(TeamBlockLists.class);

    /** An editor's contribution as this peer holds it: version -1 until one is accepted. */
    public record EditorStatus(String editor, long version, BlockList list, Optional<String> problem) {
    }

    /** What this peer holds of a team: the roster version (-1: none), each named editor's part, and the merge. */
    public record Status(ListRef team, long rosterVersion, List<EditorStatus> editors, BlockList list,
                         Optional<String> problem) {
    }

    /** A version stored by the owner or an editor, and what it holds. */
    public record Stored<T>(long version, T value) {
    }

    private static final class Part {
        long version = -1;
        BlockList list = BlockList.EMPTY;
        Optional<String> problem = Optional.of("not looked up yet");
    }

    private static final class Kept {
        final RefreshSchedule schedule = new RefreshSchedule();
        volatile BlockList merged = BlockList.EMPTY;
        long rosterVersion = -1;
        TeamRoster roster;
        Optional<String> problem = Optional.of("not looked up yet");
        Optional<String> mergeProblem = Optional.empty();
        final Map<String, Part> parts = new TreeMap<>();
    }

    private final Function<String, CompletableFuture<UserCertificate>> certificates;
    private final Supplier<Optional<BlockService>> blocks;
    private final LongSupplier clockMillis;
    private final PublishedBlockLists.Settings settings;
    private final ConcurrentHashMap<ListRef, Kept> kept = new ConcurrentHashMap<>();

    /** Same sources and settings as {@link PublishedBlockLists}; {@code maxBytes} bounds a roster or contribution. */
    public TeamBlockLists(Function<String, CompletableFuture<UserCertificate>> certificates,
                          Supplier<Optional<BlockService>> blocks, LongSupplier clockMillis,
                          PublishedBlockLists.Settings settings) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The merged list as last accepted (empty before the first lookup answers); starts a lookup when one is due. */
    public BlockList get(ListRef team) {
        Kept list = kept(team);
        list.schedule.whenDue(clockMillis.getAsLong(), settings.refreshMillis(), () -> refresh(team));
        return list.merged;
    }

    public Status status(ListRef team) {
        Kept list = kept(team);
        synchronized (list) {
            List<EditorStatus> editors = new ArrayList<>();
            list.parts.forEach((editor, part) -> editors.add(new EditorStatus(editor, part.version, part.list,
                part.problem)));
            return new Status(team, list.rosterVersion, editors, list.merged,
                list.problem.isPresent() ? list.problem : list.mergeProblem);
        }
    }

    /** Looks the roster and each named editor's contribution up now; completes with what this peer then holds. */
    public CompletableFuture<Status> refresh(ListRef team) {
        Kept list = kept(team);
        Optional<BlockService> service = blocks.get();
        if (service.isEmpty()) {
            return CompletableFuture.completedFuture(status(team));
        }
        list.schedule.started(clockMillis.getAsLong());
        String label = TeamRoster.label(team);
        return fetch(service.get(), team.publisher(), label).thenAccept(found -> {
            if (found.block().isEmpty()) {
                synchronized (list) {
                    list.problem = list.rosterVersion < 0 ? Optional.of("not published") : list.problem;
                }
            } else {
                acceptRoster(list, team, found.block().get(), found.certificate(), service.get());
            }
        }).exceptionally(failure -> {
            String cause = causeOf(failure);
            LOG.warn("Cannot look up the roster of the team list {}; keeping version {}: {}", team,
                list.rosterVersion, cause);
            synchronized (list) {
                list.problem = Optional.of("lookup failed: " + cause);
            }
            return null;
        }).thenCompose(rosterDone -> {
            List<String> editors;
            synchronized (list) {
                editors = List.copyOf(list.parts.keySet());
            }
            return CompletableFuture.allOf(editors.stream().map(editor -> refreshPart(list, team, editor,
                service.get())).toArray(CompletableFuture[]::new));
        }).thenApply(partsDone -> {
            merge(list);
            return status(team);
        });
    }

    /**
     * Changes the roster of {@code team}, owned by the holder of {@code owner}: the next version is {@code change}
     * applied to the newest one found (or to an empty roster), signed with the owner's key.
     *
     * <p>Completes with an {@link IllegalArgumentException} when the roster would name too many editors or be too
     * large; nothing is stored then.
     */
    public CompletableFuture<Stored<TeamRoster>> changeRoster(UserKeys owner, ListRef team,
                                                              UnaryOperator<TeamRoster> change) {
        AtomicReference<TeamRoster> next = new AtomicReference<>();
        return publish(owner, team, TeamRoster.label(team), current -> {
            TeamRoster roster = current.flatMap(bytes -> decoded(() -> TeamRoster.decode(bytes)))
                .filter(found -> found.team().equals(team)).orElse(TeamRoster.of(team, List.of()));
            next.set(change.apply(roster));
            return next.get().encode();
        }).thenApply(version -> new Stored<>(version, next.get()));
    }

    /**
     * Changes {@code editor}'s contribution to {@code team} (the editor holds {@code keys}): the next version is
     * {@code change} applied to the newest one found (or to an empty list), signed with the editor's key.
     */
    public CompletableFuture<Stored<BlockList>> changeContribution(UserKeys keys, String editor, ListRef team,
                                                                   UnaryOperator<BlockList> change) {
        AtomicReference<BlockList> next = new AtomicReference<>();
        return publish(keys, team, TeamContribution.label(team), current -> {
            BlockList list = current.flatMap(bytes -> decoded(() -> TeamContribution.decode(bytes)))
                .filter(found -> found.team().equals(team)).map(TeamContribution::list).orElse(BlockList.EMPTY);
            next.set(change.apply(list));
            return new TeamContribution(team, editor, next.get()).encode();
        }).thenApply(version -> new Stored<>(version, next.get()));
    }

    private CompletableFuture<Long> publish(UserKeys signer, ListRef team, String label,
                                            Function<Optional<byte[]>, byte[]> next) {
        BlockService service = blocks.get().orElseThrow(() -> new IllegalStateException(
            "POST does not run on this peer: the team list " + team + " cannot be changed"));
        return SignedListBlocks.publishNext(service, signer, label, settings.maxBytes(),
            clockMillis.getAsLong() + settings.leaseMillis(), next).thenApply(version -> {
                LOG.info("Published {} v{} of the team list {}", label, version, team);
                if (kept.containsKey(team)) {
                    refresh(team); // followers on this peer see the change now, not after the refresh interval
                }
                return version;
            });
    }

    private static <T> Optional<T> decoded(Supplier<T> decode) {
        try {
            return Optional.of(decode.get());
        } catch (SpamFormatException e) {
            return Optional.empty(); // a malformed earlier version is replaced, not edited
        }
    }

    private record Found(UserCertificate certificate, Optional<Block> block) {
    }

    private CompletableFuture<Found> fetch(BlockService service, String signer, String label) {
        return certificates.apply(signer).thenCompose(certificate -> service.lookup(
            SignedListBlocks.keyOf(certificate.signingKey(), label)).thenApply(found -> new Found(certificate,
                found)));
    }

    private CompletableFuture<Void> refreshPart(Kept list, ListRef team, String editor, BlockService service) {
        return fetch(service, editor, TeamContribution.label(team)).thenAccept(found -> {
            synchronized (list) {
                Part part = list.parts.get(editor);
                if (part == null) {
                    return; // removed from the roster meanwhile
                }
                if (found.block().isEmpty()) {
                    part.problem = part.version < 0 ? Optional.of("not published") : part.problem;
                    return;
                }
                acceptPart(part, team, editor, found.block().get(), found.certificate(), service);
            }
        }).exceptionally(failure -> {
            String cause = causeOf(failure);
            LOG.warn("Cannot look up {}'s part of the team list {}: {}", editor, team, cause);
            synchronized (list) {
                Optional.ofNullable(list.parts.get(editor)).ifPresent(part -> part.problem = Optional.of(
                    "lookup failed: " + cause));
            }
            return null;
        });
    }

    private void acceptRoster(Kept list, ListRef team, Block block, UserCertificate owner, BlockService service) {
        String label = TeamRoster.label(team);
        SignedListBlocks.Checked<TeamRoster> found = SignedListBlocks.check(block, owner, label, settings.maxBytes(),
            TeamRoster::decode, roster -> roster.team().equals(team) ? Optional.empty()
                : Optional.of("its payload names the team " + roster.team()));
        synchronized (list) {
            if (found.rejection().isPresent()) {
                LOG.warn("Rejected the roster of the team list {}: {}; keeping version {}", team,
                    found.rejection().get(), list.rosterVersion);
                list.problem = Optional.of("roster rejected: " + found.rejection().get());
                return;
            }
            extendLease(service, owner, label);
            if (found.version() < list.rosterVersion) {
                LOG.warn("Ignored the stale roster v{} of the team list {}: v{} is kept", found.version(), team,
                    list.rosterVersion);
                list.problem = Optional.of("stale roster version " + found.version() + " found");
                return;
            }
            list.problem = Optional.empty();
            if (found.version() > list.rosterVersion) {
                TeamRoster roster = found.payload().orElseThrow();
                list.roster = roster;
                list.rosterVersion = found.version();
                list.parts.keySet().retainAll(roster.editors()); // a removed editor stops counting
                roster.editors().forEach(editor -> list.parts.computeIfAbsent(editor, e -> new Part()));
                LOG.info("Accepted the roster v{} of the team list {}: editors {}", found.version(), team,
                    roster.editors());
            }
        }
    }

    private void acceptPart(Part part, ListRef team, String editor, Block block, UserCertificate certificate,
                            BlockService service) {
        String label = TeamContribution.label(team);
        SignedListBlocks.Checked<TeamContribution> found = SignedListBlocks.check(block, certificate, label,
            settings.maxBytes(), TeamContribution::decode, contribution -> contribution.team().equals(team)
                && contribution.editor().equals(editor) ? Optional.empty()
                : Optional.of("its payload is " + contribution.editor() + "'s part of " + contribution.team()));
        if (found.rejection().isPresent()) {
            LOG.warn("Rejected {}'s part of the team list {}: {}; keeping version {}", editor, team,
                found.rejection().get(), part.version);
            part.problem = Optional.of("rejected: " + found.rejection().get());
            return;
        }
        extendLease(service, certificate, label);
        if (found.version() < part.version) {
            LOG.warn("Ignored {}'s stale v{} of the team list {}: v{} is kept", editor, found.version(), team,
                part.version);
            part.problem = Optional.of("stale version " + found.version() + " found");
            return;
        }
        part.version = found.version();
        part.list = found.payload().orElseThrow().list();
        part.problem = Optional.empty();
    }

    private void extendLease(BlockService service, UserCertificate signer, String label) {
        BlockKey key = SignedListBlocks.keyOf(signer.signingKey(), label);
        service.extendLease(key, clockMillis.getAsLong() + settings.leaseMillis());
    }

    private static void merge(Kept list) {
        synchronized (list) {
            if (list.roster == null) {
                return;
            }
            Map<String, BlockList> contributions = new TreeMap<>();
            list.parts.forEach((editor, part) -> contributions.put(editor, part.list));
            TeamRoster.Merged merged = list.roster.merge(contributions);
            list.merged = merged.list();
            list.mergeProblem = merged.problem();
        }
    }

    private static String causeOf(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return String.valueOf(cause.getMessage());
    }

    private Kept kept(ListRef team) {
        return RefreshSchedule.keep(kept, team, MAX_CACHED, Kept::new);
    }
}
